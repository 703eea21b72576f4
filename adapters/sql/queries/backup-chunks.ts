import type { CompiledQuery, Kysely } from 'kysely';
import { joinParts, splitParts } from './binary-parts.js';
import type { CxDatabase } from '../cx-database.js';
import { toDriverBytes, toNumber } from './row-values.js';
import type { Exclusive } from './exclusive.js';
import type { BackupLease } from '../../../src/ports/store.js';

/** Parts read per query when streaming a backup file (each part at most 1 MiB). */
const PARTS_PER_READ = 4;

/** The statements that store a chunk, compiled once per database, run with new parameters. */
type ChunkStatements = {
  /** Parameters: domain, file, seq. */
  deleteChunk: CompiledQuery;
  /** Parameters: domain, file, seq, part, data. */
  insertPart: CompiledQuery;
  /** Parameters: domain, job. Reads the job's status and attempt, locking its row (PostgreSQL, MySQL). */
  leaseOf: CompiledQuery;
};

const compiledChunkStatements = new WeakMap<Kysely<CxDatabase>, ChunkStatements>();

/**
 * Building and compiling the two statements with Kysely cost as much as running them: a
 * backup of a million messages stores thousands of chunks.
 */
function chunkStatements(db: Kysely<CxDatabase>, locksRows: boolean): ChunkStatements {
  let statements = compiledChunkStatements.get(db);
  if (!statements) {
    const lease = db.selectFrom('cx_backup_jobs').select(['status', 'attempt']).where('domain_id', '=', '').where('job_id', '=', '');
    statements = {
      leaseOf: (locksRows ? lease.forUpdate() : lease).compile(),
      deleteChunk: db.deleteFrom('cx_backup_chunks').where('domain_id', '=', '').where('file_id', '=', '').where('seq', '=', 0).compile(),
      insertPart: db.insertInto('cx_backup_chunks').values({ domain_id: '', file_id: '', seq: 0, part: 0, data: new Uint8Array(0) }).compile(),
    };
    compiledChunkStatements.set(db, statements);
  }
  return statements;
}

/** A compiled statement with other values in its places, in the order they were compiled. */
const withParameters = (query: CompiledQuery, parameters: readonly unknown[]): CompiledQuery => ({ ...query, parameters });

/**
 * Stores chunk `seq` of a backup file (replacing a chunk stored under the same number), in
 * parts of at most 1 MiB, in one transaction; given `lease`, only while that job is `running`
 * in that attempt (answers `false`, storing nothing, when it is not).
 *
 * The lease is read in the chunk's own transaction, so no chunk of a stale attempt lands after
 * the job moved on (R42): on PostgreSQL and MySQL the job's row is locked (`FOR UPDATE`), so a
 * takeover, cancel or erasure updating it waits for this chunk, and this chunk waits for them
 * (then reads their change); on SQLite the chunk's first statement, a write, takes the file's
 * write lock, so the read after it sees every committed change of the job.
 */
export async function appendBackupChunk(
  db: Kysely<CxDatabase>,
  exclusive: Exclusive,
  locksRows: boolean,
  domainId: string,
  fileId: string,
  seq: number,
  data: Uint8Array,
  lease?: BackupLease,
): Promise<boolean> {
  const { deleteChunk, insertPart, leaseOf } = chunkStatements(db, locksRows);
  return exclusive(() =>
    db.transaction().execute(async (trx) => {
      const held = async () => {
        if (!lease) return true;
        const { rows } = await trx.executeQuery<{ status: string; attempt: number | string | bigint }>(withParameters(leaseOf, [domainId, lease.jobId]));
        const job = rows[0];
        return job !== undefined && job.status === 'running' && toNumber(job.attempt) === lease.attempt;
      };
      // PostgreSQL and MySQL: the job's row lock first, the chunk's rows after (the order of a takeover).
      if (locksRows && !(await held())) return false;
      await trx.executeQuery(withParameters(deleteChunk, [domainId, fileId, seq]));
      if (!locksRows && !(await held())) {
        // Nothing to keep: roll back (the delete of a chunk of a stale attempt included).
        throw new LeaseLost();
      }
      for (const [part, bytes] of splitParts(data).entries()) {
        await trx.executeQuery(withParameters(insertPart, [domainId, fileId, seq, part, toDriverBytes(bytes)]));
      }
      return true;
    }),
  ).catch((error: unknown) => {
    if (error instanceof LeaseLost) return false;
    throw error;
  });
}

/** Rolls back a chunk's transaction when its attempt no longer holds the job. */
class LeaseLost extends Error {}

/**
 * Streams a backup file's chunks in order, reading a few parts per query (keyset on
 * `(seq, part)`), so memory holds about one chunk at a time.
 */
export async function* readBackupChunks(
  db: Kysely<CxDatabase>,
  exclusive: Exclusive,
  domainId: string,
  fileId: string,
): AsyncGenerator<Uint8Array> {
  let after: { seq: number; part: number } | null = null;
  let pending: { seq: number; parts: Uint8Array[] } | null = null;
  for (;;) {
    const position = after;
    const rows = await exclusive(() => {
      let query = db
        .selectFrom('cx_backup_chunks')
        .select(['seq', 'part', 'data'])
        .where('domain_id', '=', domainId)
        .where('file_id', '=', fileId);
      if (position) {
        query = query
          .where('seq', '>=', position.seq)
          .where((eb) => eb.or([eb('seq', '>', position.seq), eb('part', '>', position.part)]));
      }
      return query.orderBy('seq').orderBy('part').limit(PARTS_PER_READ).execute();
    });
    for (const row of rows) {
      const seq = toNumber(row.seq);
      if (pending && pending.seq !== seq) {
        yield joinParts(pending.parts);
        pending = null;
      }
      pending ??= { seq, parts: [] };
      pending.parts.push(row.data);
    }
    const last = rows[rows.length - 1];
    if (!last || rows.length < PARTS_PER_READ) break;
    after = { seq: toNumber(last.seq), part: toNumber(last.part) };
  }
  if (pending) yield joinParts(pending.parts);
}

/** Deletes a backup file's chunks. */
export async function deleteBackupChunks(db: Kysely<CxDatabase>, exclusive: Exclusive, domainId: string, fileId: string): Promise<void> {
  await exclusive(() => db.deleteFrom('cx_backup_chunks').where('domain_id', '=', domainId).where('file_id', '=', fileId).execute());
}
