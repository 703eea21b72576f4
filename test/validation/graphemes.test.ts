import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { graphemeLength, isSingleClusterText } from '../../src/validation/graphemes.js';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
function bySegmenter(text: string): number {
  let count = 0;
  for (const _ of segmenter.segment(text)) count++;
  return count;
}

/** Characters that join their neighbours, mixed with ones that do not, so that clusters form often. */
const JOINERS = [
  '\u200d', // ZWJ
  '\u200c', // ZWNJ (Extend)
  '\ufe0f', // variation selector 16
  '\u0301', // combining acute
  '\u093f', // Devanagari vowel sign I (spacing mark)
  '\u094d', // Devanagari virama (Indic conjunct linker)
  '\u0915', // Devanagari KA (conjunct consonant)
  '\u0600', // Arabic number sign (Prepend)
  '\u0d4e', // Malayalam dot reph (Prepend)
  '\r',
  '\n',
  '\u1100', // Hangul choseong (L)
  '\u1161', // Hangul jungseong (V)
  '\u11a8', // Hangul jongseong (T)
  '\uac00', // 가 (LV)
  '\uac01', // 각 (LVT)
  '\u{1f1f0}', // regional indicator K
  '\u{1f1f7}', // regional indicator R
  '\u{1f3fd}', // emoji modifier
  '\u{1f44d}', // 👍
  '\u{1f468}', // 👨
  '\u2764', // ❤
  '\u3099', // combining kana voiced mark
  '\uff9e', // half-width voiced mark
  '\u{e0067}', // tag g
  '\u{e007f}', // cancel tag
  '\ud800', // a lone high surrogate
  '\udc00', // a lone low surrogate
  'a',
  '상',
  'の',
];
const clustery = fc.array(fc.oneof(fc.constantFrom(...JOINERS), fc.string({ unit: 'grapheme', maxLength: 3 })), { maxLength: 40 }).map((parts) => parts.join(''));

describe('graphemeLength', () => {
  it('counts as Intl.Segmenter does, on any Unicode text (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 30 }), fc.string({ unit: 'grapheme-composite', maxLength: 30 }), clustery), (text) => {
        expect(graphemeLength(text)).toBe(bySegmenter(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('counts as Intl.Segmenter does on emoji sequences, jamo, combining marks, flags and conjuncts', () => {
    const samples = [
      '',
      '상담 문의는 평일 09:00–18:00에 받습니다.',
      '👨‍👩‍👧‍👦 family',
      '👍🏽👍🏽',
      '❤️❤️ 좋아요',
      '🇰🇷🇯🇵🇰', // two flags and a lone regional indicator
      '\u1100\u1161\u11a8각\u11a8',
      'e\u0301e\u0301 café',
      'क्षि नमस्ते',
      '\r\n\r\n\n\r',
      '🏴\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f} Scotland',
      'ｶﾞｷﾞ ガギ か\u3099',
      '\u0600١٢ مرحبا',
      'x\ud800y\udc00z',
    ];
    for (const text of samples) expect(graphemeLength(text), JSON.stringify(text)).toBe(bySegmenter(text));
  });

  it('each code point of the fast path is a cluster of its own next to any of them (every code point checked)', () => {
    // For the fast path to be right, no two of its code points may join. Pair each with itself
    // and with a few others; UAX #29 decides a boundary by the two code points beside it (and,
    // for joiners and flags, which are all outside the set, by what comes before).
    const single: string[] = [];
    for (let code = 0; code <= 0x10ffff; code++) {
      const character = String.fromCodePoint(code);
      if (isSingleClusterText(character)) single.push(character);
    }
    expect(single.length).toBeGreaterThan(50_000);
    expect(single).not.toContain('\r');
    for (let from = 0; from < single.length; from += 4096) {
      const text = single
        .slice(from, from + 4096)
        .map((character) => `${character}${character}가`)
        .join('');
      const codePoints = [...text].length;
      expect(isSingleClusterText(text)).toBe(true);
      expect(bySegmenter(text)).toBe(codePoints);
      expect(graphemeLength(text)).toBe(codePoints);
    }
  });
});

