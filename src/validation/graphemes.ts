import { countGraphemes } from 'unicode-segmenter/grapheme';

/**
 * Code points that are a grapheme cluster of their own next to each other: none of them is CR,
 * a combining mark (Extend), a spacing mark, ZWJ, a Prepend character, a regional indicator or a
 * Hangul conjoining jamo — the only characters UAX #29 lets join a neighbour. Between two of
 * them there is always a cluster boundary, so in a text made of them every code point is one
 * user-perceived character. Taken from assigned blocks whose characters keep their break
 * properties (test/validation/graphemes.test.ts checks every one against `Intl.Segmenter`):
 * ASCII, tab and line feed; Latin-1, Latin Extended, IPA and spacing modifiers; Greek and
 * Cyrillic letters; punctuation, symbols, arrows and dingbats; CJK punctuation, kana,
 * ideographs, compatibility jamo and precomposed Hangul syllables; full- and half-width forms.
 * Beyond the BMP: the ideographs of CJK Extension B and the pictographs (emoji without
 * modifiers, variation selectors or joiners).
 */
const SINGLE_BMP_RANGES = [
  [0x09, 0x0a], [0x20, 0x7e], [0xa0, 0x2ff], [0x370, 0x377], [0x37a, 0x37f], [0x384, 0x38a], [0x38c, 0x38c], [0x38e, 0x3a1],
  [0x3a3, 0x482], [0x48a, 0x52f], [0x2010, 0x2027], [0x2030, 0x205e], [0x2070, 0x2071], [0x2074, 0x208e], [0x2090, 0x209c],
  [0x20a0, 0x20c0], [0x2100, 0x2bff], [0x2e80, 0x2e99], [0x2e9b, 0x2ef3], [0x2f00, 0x2fd5], [0x3000, 0x3029], [0x3030, 0x303f],
  [0x3041, 0x3096], [0x309b, 0x30ff], [0x3105, 0x312f], [0x3131, 0x318e], [0x3190, 0x31e3], [0x31f0, 0x321e], [0x3220, 0x4dbf],
  [0x4e00, 0x9fff], [0xac00, 0xd7a3], [0xf900, 0xfaff], [0xfe10, 0xfe19], [0xfe30, 0xfe52], [0xfe54, 0xfe66], [0xfe68, 0xfe6b],
  [0xff01, 0xff9d], [0xffa0, 0xffbe], [0xffc2, 0xffc7], [0xffca, 0xffcf], [0xffd2, 0xffd7], [0xffda, 0xffdc], [0xffe0, 0xffe6],
  [0xffe8, 0xffee],
] as const;
const CJK_EXTENSION_B = [0x20000, 0x2a6df] as const;
/** A pictograph at `lastIndex` (sticky). */
const PICTOGRAPH_AT = /\p{Extended_Pictographic}/uy;

/** 1 for each BMP code unit of the set above; built on first use. */
let singleBmp: Uint8Array | undefined;

function singleBmpTable(): Uint8Array {
  if (singleBmp) return singleBmp;
  const table = new Uint8Array(0x10000);
  for (const [first, last] of SINGLE_BMP_RANGES) table.fill(1, first, last + 1);
  singleBmp = table;
  return table;
}

const isHighSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLowSurrogate = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

/** The code point at `index`: its width in code units times 2, plus 1 when it is in the set above. */
function classify(text: string, index: number, table: Uint8Array): number {
  const unit = text.charCodeAt(index);
  if (unit < 0xd800 || unit > 0xdfff) return 2 | table[unit]!;
  if (!isHighSurrogate(unit) || index + 1 >= text.length || !isLowSurrogate(text.charCodeAt(index + 1))) return 2; // lone
  const code = text.codePointAt(index)!;
  if (code >= CJK_EXTENSION_B[0] && code <= CJK_EXTENSION_B[1]) return 5;
  PICTOGRAPH_AT.lastIndex = index;
  return PICTOGRAPH_AT.test(text) ? 5 : 4;
}

/** Whether every code point of `text` is a cluster of its own, so that {@link graphemeLength} counts code points. */
export function isSingleClusterText(text: string): boolean {
  const table = singleBmpTable();
  for (let index = 0; index < text.length; ) {
    const kind = classify(text, index, table);
    if ((kind & 1) === 0) return false;
    index += kind >> 1;
  }
  return true;
}

/**
 * Counts user-perceived characters (grapheme clusters, UAX #29): `'상담'` is 2, `'👍🏽'` is 1.
 *
 * A text made only of the code points above (most Korean, Japanese and Latin text, plain
 * emoji) is counted by its code points in one pass; any other goes through `unicode-segmenter`,
 * whose Unicode data ships with it, so that every runtime counts alike (the same as
 * `Intl.Segmenter` of a runtime on the same Unicode version; `Intl.Segmenter` itself costs tens
 * of microseconds a call on Node 20). See test/bench/graphemes.bench.ts.
 */
export function graphemeLength(text: string): number {
  const table = singleBmpTable();
  let count = 0;
  for (let index = 0; index < text.length; count++) {
    const kind = classify(text, index, table);
    if ((kind & 1) === 0) return countGraphemes(text);
    index += kind >> 1;
  }
  return count;
}

/** True when the string holds a lone (unpaired) UTF-16 surrogate, which no text encoding can carry. */
export function hasLoneSurrogate(text: string): boolean {
  return !text.isWellFormed();
}
