import type { CliIo } from './cli-io.js';

/**
 * Names of query parameters (and of keyword=value pairs) whose values are secrets: `password`,
 * pg's `sslpassword`, mysql2's `password1`…`password3` and `passwordSha1`, tokens, keys, and
 * the like. A harmless parameter caught by it (`sslkey`, a file path) is hidden too: hiding one
 * too many beats printing a password.
 */
const SECRET_NAME = /pass|pwd|secret|token|credential|key|pfx/i;

/**
 * A `name=value` parameter after `?`, `&`, `;` or whitespace. Its value runs to the next
 * parameter or whitespace (a raw `#` in a password stays inside it).
 */
const PARAMETER = /(^|[?&;\s])([\w.%-]+)=([^&;\s]*)/g;

/**
 * The URL with every credential replaced by `***`, for messages and logs:
 *
 * - the password of the userinfo, whatever it holds: everything from the first `:` after `//`
 *   to the LAST `@` (a raw `@`, `/`, `?` or `#` in a password stays hidden; an `@` in a query
 *   value then hides the host too — one too many rather than a password printed);
 * - the value of every parameter whose name looks secret (`?password=`, `&password=`,
 *   `sslpassword=`, `password1=`, `token=`, …), in the query or as libpq-style `key=value`
 *   words, and of a JSON value that holds one (mysql2's `ssl={"key": …}`).
 *
 * Names, hosts, ports and database names stay readable.
 *
 * @example
 * ```ts
 * redactedUrl('postgres://app:p@ss@db/cx?sslpassword=x'); // → 'postgres://app:***@db/cx?sslpassword=***'
 * ```
 */
export function redactedUrl(url: string): string {
  return redactParameters(redactUserinfo(url));
}

/**
 * The secrets a URL holds, as written and percent-decoded (the forms a driver's message might
 * echo), longest first; only those of at least 3 characters, so that hiding them in other text
 * does not garble it.
 *
 * @example
 * ```ts
 * urlSecrets('mysql://root:s%40cret@db/cx'); // → ['s%40cret', 's@cret']
 * ```
 */
export function urlSecrets(url: string): string[] {
  const secrets = new Set<string>();
  const userinfo = userinfoSpan(url);
  if (userinfo !== null) secrets.add(url.slice(userinfo.passwordStart, userinfo.end));
  for (const [, , name, value] of url.matchAll(PARAMETER)) {
    if (isSecretParameter(name!, value!)) secrets.add(value!);
  }
  for (const secret of [...secrets]) secrets.add(decoded(secret));
  return [...secrets].filter((secret) => secret.length >= 3).sort((a, b) => b.length - a.length);
}

/**
 * An output that hides a URL's secrets in every line it writes (a driver's message may echo
 * part of a connection string), then its structural forms through {@link redactedUrl}.
 *
 * @example
 * ```ts
 * const io = redactingIo({ out: console.log, error: console.error }, 'postgres://app:s3cret@db/cx');
 * io.error('login with s3cret failed'); // prints 'login with *** failed'
 * ```
 */
export function redactingIo(io: CliIo, url: string): CliIo {
  const secrets = urlSecrets(url);
  const hide = (line: string) => secrets.reduce((text, secret) => text.replaceAll(secret, '***'), line);
  return { out: (line) => io.out(hide(line)), error: (line) => io.error(hide(line)) };
}

/** Where the userinfo's password is: from after the first `:` following `//` to the last `@`. */
function userinfoSpan(url: string): { passwordStart: number; end: number } | null {
  const start = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0].length;
  if (start === undefined) return null;
  const end = url.lastIndexOf('@');
  if (end < start) return null;
  const colon = url.indexOf(':', start);
  if (colon < 0 || colon > end) return null;
  return { passwordStart: colon + 1, end };
}

function redactUserinfo(url: string): string {
  const span = userinfoSpan(url);
  return span === null ? url : `${url.slice(0, span.passwordStart)}***${url.slice(span.end)}`;
}

function redactParameters(url: string): string {
  return url.replace(PARAMETER, (whole, separator: string, name: string, value: string) =>
    isSecretParameter(name, value) ? `${separator}${name}=***` : whole,
  );
}

function isSecretParameter(name: string, value: string): boolean {
  if (SECRET_NAME.test(decoded(name))) return true;
  const text = decoded(value).trimStart();
  return (text.startsWith('{') || text.startsWith('[')) && SECRET_NAME.test(text);
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return text;
  }
}
