/**
 * Characters a person cannot see, and the rules of R48 about them: a name may not hold
 * format characters (Unicode category Cf), line or paragraph separators, nor be blank to the
 * eye; prose (descriptions, consultation messages) may not hold bidirectional controls.
 *
 * @module
 */

/**
 * Zero-width joiners that are part of an emoji (`👨‍👩‍👧`, `👩🏽‍💻`, `🏳️‍🌈`): between two
 * pictographs, the first optionally followed by a skin tone or VS16. These are not hidden
 * text, so names keep them.
 */
const EMOJI_JOINER = /(?<=\p{Extended_Pictographic}[\u{FE0F}\u{1F3FB}-\u{1F3FF}]?)\u200D(?=\p{Extended_Pictographic})/gu;

/** A subdivision flag (`🏴󠁧󠁢󠁳󠁣󠁴󠁿`): a black flag, tag characters, a cancel tag. */
const EMOJI_TAG_SEQUENCE = /\u{1F3F4}[\u{E0020}-\u{E007E}]+\u{E007F}/gu;

const FORMAT_CHARACTER = /\p{Cf}/u;
const LINE_SEPARATOR = /[\u2028\u2029]/u;

/**
 * Characters that look like nothing on their own: white space, combining marks (which need a
 * letter to sit on), Hangul fillers (U+115F, U+1160, U+3164, U+FFA0), the Braille blank
 * (U+2800), format characters, and the invisible mathematical and musical fillers.
 */
const INVISIBLE = /^[\s\p{Zs}\p{M}\p{Cf}\u115F\u1160\u3164\uFFA0\u2800\u{1D159}\u{1D173}-\u{1D17A}]*$/u;

/**
 * Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they can
 * make text read differently from how it is stored ("Trojan Source").
 */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/u;

/**
 * What {@link withoutIgnorables} removes: every default-ignorable code point (variation
 * selectors U+FE00–U+FE0F and U+E0100–U+E01EF, U+034F, U+180B–U+180F, U+17B4, U+17B5, the
 * Hangul fillers, …), and the fillers that are not default-ignorable (U+2800, U+1D159). Kept
 * (first two alternatives): the joiners inside emoji and the tags of a subdivision flag, which
 * are part of what an emoji shows.
 */
const IGNORABLE_FOR_NAMES = new RegExp(
  `(${EMOJI_TAG_SEQUENCE.source})|(${EMOJI_JOINER.source})|[\\p{Default_Ignorable_Code_Point}\\u2800\\u{1D159}]`,
  'gu',
);

/**
 * A text without the code points that show nothing by themselves (R48): `Help` + U+FE0F,
 * `Help` + U+3164 and `Help` read alike, so names are compared in this form. Emoji keep their
 * joiners and flag tags (`👨‍👩‍👧` stays a family); a variation selector is dropped (`❤️` and
 * `❤` compare alike).
 *
 * @example
 * ```ts
 * withoutIgnorables('Help\uFE0F');  // 'Help'
 * withoutIgnorables('Help\u3164');  // 'Help'
 * ```
 */
export function withoutIgnorables(text: string): string {
  return text.replace(IGNORABLE_FOR_NAMES, (_match, tags: string | undefined, joiner: string | undefined) => tags ?? joiner ?? '');
}

/** `U+200B` for a character. */
export function codePointLabel(character: string): string {
  const codePoint = character.codePointAt(0) ?? 0;
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * What is wrong with a name (R48) about invisible characters, or `null`: a format character
 * (Cf, except the joiners and tags inside emoji), a line or paragraph separator, or nothing
 * visible at all. Expects text already trimmed and free of control characters.
 *
 * @example
 * ```ts
 * nameInvisibleProblem('help\u200Bdesk'); // 'must not contain invisible format characters (U+200B)'
 * nameInvisibleProblem('\u3164');         // 'must not be blank: it shows nothing (U+3164)'
 * nameInvisibleProblem('👨‍👩‍👧 Team');    // null
 * ```
 */
export function nameInvisibleProblem(text: string): string | null {
  const withoutEmojiParts = text.replace(EMOJI_TAG_SEQUENCE, '\u{1F3F4}').replace(EMOJI_JOINER, '');
  const format = FORMAT_CHARACTER.exec(withoutEmojiParts);
  if (format) return `must not contain invisible format characters (${codePointLabel(format[0])})`;
  const separator = LINE_SEPARATOR.exec(text);
  if (separator) return `must not contain line or paragraph separators (${codePointLabel(separator[0])})`;
  if (text.length > 0 && INVISIBLE.test(text)) return `must not be blank: it shows nothing (${distinctLabels(text)})`;
  return null;
}

/**
 * What is wrong with prose (a description, R7; a consultation message, R19) about invisible
 * characters, or `null`. Line breaks, joiners, direction marks (U+200E, U+200F) and soft
 * hyphens stay allowed; bidirectional embeddings, overrides and isolates do not.
 *
 * @example
 * ```ts
 * proseInvisibleProblem('Call us\non weekdays');  // null
 * proseInvisibleProblem('price \u202E0001');      // 'must not contain bidirectional control characters (U+202E)'
 * ```
 */
export function proseInvisibleProblem(text: string): string | null {
  const bidi = BIDI_CONTROL.exec(text);
  if (bidi) return `must not contain bidirectional control characters (${codePointLabel(bidi[0])})`;
  return null;
}

/** The first few distinct code points of a text, as `U+3164, U+0020`. */
function distinctLabels(text: string): string {
  const labels = [...new Set(Array.from(text, codePointLabel))];
  return labels.length > 3 ? `${labels.slice(0, 3).join(', ')}, …` : labels.join(', ');
}
