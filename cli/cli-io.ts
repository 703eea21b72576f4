/** Where the CLI writes: lines to standard output and to standard error. */
export type CliIo = {
  out(line: string): void;
  error(line: string): void;
};

/** Exit codes: 0 done, 1 the work failed (database, store), 2 the command line was wrong. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/**
 * The message of anything thrown, with its cause when it has one. The openers' messages start
 * with `cx-accounts: `, which the CLI's own prefix already says: it is left out.
 */
export function describeFailure(thrown: unknown): string {
  if (!(thrown instanceof Error)) return String(thrown);
  const cause = thrown.cause instanceof Error && !thrown.message.includes(thrown.cause.message) ? ` (${thrown.cause.message})` : '';
  return `${thrown.message.replace(/^cx-accounts: /, '')}${cause}`;
}
