/**
 * IANA time zone names (R18): which ones an account may use. No schema library here, so the
 * check runs in a browser bundle at the cost of this file alone.
 *
 * @module
 */

/** No IANA name comes close; longer input is refused before asking `Intl`. */
const MAX_NAME_LENGTH = 64;
/** Letters, digits and `/ _ + -`: the alphabet of IANA names (`America/Port-au-Prince`, `Etc/GMT+9`). */
const NAME_ALPHABET = /^[A-Za-z][A-Za-z0-9/_+-]*$/;
/** Caches the verdict per string; bounded, as input strings are unbounded. */
const MAX_CACHED_VERDICTS = 2048;

let canonicalNames: Map<string, string> | undefined;
const verdicts = new Map<string, string | null>();

/**
 * The runtime's canonical zone names (`Intl.supportedValuesOf('timeZone')`), keyed by their
 * lower-case form, read once.
 */
function canonicalNamesByLowerCase(): Map<string, string> {
  if (canonicalNames === undefined) {
    canonicalNames = new Map();
    const names = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    for (const name of [...names, 'UTC']) canonicalNames.set(name.toLowerCase(), name);
  }
  return canonicalNames;
}

/**
 * Lower-case words that canonical names hold (`Dar_es_Salaam`, `Port-au-Prince`,
 * `Isle_of_Man`): the only words an alias may start in lower case.
 */
let lowerCaseWords: Set<string> | undefined;
function lowerCaseWordsOfCanonicalNames(): Set<string> {
  if (lowerCaseWords === undefined) {
    lowerCaseWords = new Set();
    for (const name of canonicalNamesByLowerCase().values()) {
      for (const word of name.split(/[/_-]/)) if (/^[a-z]/.test(word)) lowerCaseWords.add(word);
    }
  }
  return lowerCaseWords;
}

/**
 * Why a string is not a time zone an account may use, or `null` when it is one.
 *
 * Accepted: the runtime's canonical names (`Intl.supportedValuesOf('timeZone')`, e.g.
 * `Asia/Seoul`), `UTC`, and the aliases `Intl.DateTimeFormat` accepts (`Asia/Kolkata`,
 * `Europe/Kyiv`, `US/Eastern`, `Etc/GMT+9`), spelled in their canonical case: `asia/seoul` is
 * refused with a hint, never silently rewritten. Offsets (`+09:00`) are not IANA names.
 * The verdict is cached per string.
 *
 * @example
 * ```ts
 * timeZoneProblem('Asia/Seoul'); // → null
 * timeZoneProblem('Mars/Base');  // → "unknown time zone 'Mars/Base'"
 * timeZoneProblem('asia/seoul'); // → "unknown time zone 'asia/seoul'; names are case-sensitive: did you mean 'Asia/Seoul'?"
 * ```
 */
export function timeZoneProblem(name: string): string | null {
  const cached = verdicts.get(name);
  if (cached !== undefined) return cached;
  const verdict = judge(name);
  if (verdicts.size >= MAX_CACHED_VERDICTS) verdicts.clear();
  verdicts.set(name, verdict);
  return verdict;
}

/**
 * Whether a string is a time zone an account may use (see {@link timeZoneProblem}).
 *
 * @example
 * ```ts
 * isValidTimeZone('America/New_York'); // → true
 * isValidTimeZone('Mars/Base');        // → false
 * ```
 */
export function isValidTimeZone(name: string): boolean {
  return timeZoneProblem(name) === null;
}

function judge(name: string): string | null {
  const unknown = `unknown time zone ${quote(name)}`;
  if (name.length > MAX_NAME_LENGTH || !NAME_ALPHABET.test(name)) return unknown;
  const canonical = canonicalNamesByLowerCase().get(name.toLowerCase());
  if (canonical === name) return null;
  if (canonical !== undefined) return `${unknown}; names are case-sensitive: did you mean '${canonical}'?`;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return unknown;
  }
  // An alias of a canonical name. Intl accepts any case and does not say the alias's own
  // spelling, so check the shape of IANA spelling: each word starts with a capital or a digit
  // (`US/Eastern`, `Etc/GMT+9`), or is one of the lower-case words canonical names use.
  if (resolved.toLowerCase() === name.toLowerCase()) {
    return resolved === name ? null : `${unknown}; names are case-sensitive: did you mean '${resolved}'?`;
  }
  const words = lowerCaseWordsOfCanonicalNames();
  const wellSpelled = name
    .split(/[/_-]/)
    .every((word) => word === '' || /^[A-Z0-9+]/.test(word) || words.has(word));
  return wellSpelled ? null : `${unknown}; names are case-sensitive (for example 'Asia/Kolkata', 'US/Eastern')`;
}

function quote(value: string): string {
  return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
}
