/**
 * Grapheme counting (the length of names, descriptions and messages, R5/R7/R19): the counter
 * before this change (ASCII alone skipped `Intl.Segmenter`, everything else was segmented)
 * against today's (code points of single-cluster blocks counted directly, other texts by
 * `unicode-segmenter`), on the same texts in one run; and a whole `proseField`
 * validation of a 1,000-character message.
 *
 *   npx tsx test/bench/graphemes.bench.ts
 *
 * Goal (issue 18, item 14): validating 1,000 characters in ≤ 25 µs.
 */
import { Bench } from 'tinybench';
import { graphemeLength } from '../../src/validation/graphemes.js';
import { parseInput } from '../../src/validation/parse-input.js';
import { proseField } from '../../src/validation/text-fields.js';

// ── The baseline: the counter before this change. ──
const oldSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
function oldGraphemeLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  if (/^[\x20-\x7e]*$/.test(text)) return text.length;
  let count = 0;
  for (const _ of oldSegmenter.segment(text)) count++;
  return count;
}

const korean = '안녕하세요. 상담 문의는 평일 오전 9시부터 오후 6시까지 받습니다. 주말과 공휴일에는 답변이 늦어질 수 있습니다. ';
const repeatTo = (text: string, length: number) => Array.from(text.repeat(Math.ceil(length / text.length))).slice(0, length).join('');
const texts: Record<string, string> = {
  'Korean, 29 characters': repeatTo(korean, 29),
  'Korean, 1,000 characters': repeatTo(korean, 1000),
  'Japanese, 1,000 characters': repeatTo('お問い合わせありがとうございます。担当者より順次ご連絡いたします。', 1000),
  'Korean with emoji, 1,000 characters': repeatTo(`${korean}감사합니다 😀🙏 `, 1000),
  'Korean with 👍🏽 and ❤️ every 50, 1,000 characters': repeatTo(`${repeatTo(korean, 48)}👍🏽❤️`, 1000),
  'French with combining accents, 1,000 characters': repeatTo('Nous re\u0301pondons du lundi au vendredi, de 9 h a\u0300 18 h. ', 1000),
};

for (const [name, text] of Object.entries(texts)) {
  if (graphemeLength(text) !== oldGraphemeLength(text)) throw new Error(`the two counters disagree on ${name}`);
}

const prose = proseField(2000);
const bench = new Bench({ time: 700, warmup: true, warmupTime: 200 });
for (const [name, text] of Object.entries(texts)) {
  bench.add(`before: ${name}`, () => void oldGraphemeLength(text));
  bench.add(`now:    ${name}`, () => void graphemeLength(text));
}
const message = texts['Korean, 1,000 characters'];
bench.add('now:    proseField(2000) validating the Korean 1,000 characters', () => void parseInput(prose, message));
await bench.run();

const micros = (name: string) => {
  const result = bench.getTask(name)?.result;
  if (result === undefined || !('latency' in result)) throw new Error(`${name}: ${result?.state ?? 'missing'}`);
  return result.latency.mean * 1000;
};
for (const name of Object.keys(texts)) {
  const [before, now] = [micros(`before: ${name}`), micros(`now:    ${name}`)];
  console.log(`${name.padEnd(52)} before ${before.toFixed(2).padStart(8)} µs   now ${now.toFixed(2).padStart(7)} µs   ${(before / now).toFixed(1)}× faster`);
}
const validating = micros('now:    proseField(2000) validating the Korean 1,000 characters');
console.log(`\nparseInput(proseField(2000), 1,000 Korean characters), as operations validate a message: ${validating.toFixed(2)} µs — goal ≤ 25 µs ${validating <= 25 ? 'met' : 'NOT met'}`);
