/**
 * Runs a task now, or queued behind the store's other tasks on a single-connection database
 * (SQLite). The transaction runner makes it; the queries that run outside a transaction take it.
 */
export type Exclusive = <T>(task: () => Promise<T>) => Promise<T>;
