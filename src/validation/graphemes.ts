// One segmenter for the process: constructing Intl.Segmenter is far costlier than using it.
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Counts user-perceived characters (grapheme clusters): `'상담'` is 2, `'👍🏽'` is 1.
 * Short ASCII strings skip the segmenter, since each of their code units is one grapheme.
 */
export function graphemeLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  if (/^[\x20-\x7e]*$/.test(text)) return text.length;
  let count = 0;
  for (const _ of segmenter.segment(text)) count++;
  return count;
}

/** True when the string holds a lone (unpaired) UTF-16 surrogate, which no text encoding can carry. */
export function hasLoneSurrogate(text: string): boolean {
  return !text.isWellFormed();
}
