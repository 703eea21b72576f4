import type { CompiledQuery, Kysely } from 'kysely';
import { joinParts, splitParts } from './binary-parts.js';
import type { CxDatabase } from './cx-database.js';
import { toDriverBytes, toNumber } from './row-values.js';
import type { Exclusive } from './transaction-runner.js';

/** Parts read per query when streaming a backup file (each part at most 1 MiB). */
const PARTS_PER_READ = 4;

/** The statements that store a chunk, compiled once per database, run with new parameters. */
type ChunkStatements = {
  /** Parameters: domain, file, seq. */
  deleteChunk: CompiledQuery;
  /** Parameters: domain, file, seq, part, data. */
  insertPart: CompiledQuery;
};

const compiledChunkStatements = new WeakMap<Kysely<CxDatabase>, ChunkStatements>();

/**
 * Building and compiling the two statements with Kysely cost as much as running them: a
 * backup of a million messages stores thousands of chunks.
 */
function chunkStatements(db: Kysely<CxDatabase>): ChunkStatements {
  let statements = compiledChunkStatements.get(db);
  if (!statements) {
    statements = {
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
 * parts of at most 1 MiB, in one transaction.
 */
export async function appendBackupChunk(
  db: Kysely<CxDatabase>,
  exclusive: Exclusive,
  domainId: string,
  fileId: string,
  seq: number,
  data: Uint8Array,
): Promise<void> {
  const { deleteChunk, insertPart } = chunkStatements(db);
  await exclusive(() =>
    db.transaction().execute(async (trx) => {
      await trx.executeQuery(withParameters(deleteChunk, [domainId, fileId, seq]));
      for (const [part, bytes] of splitParts(data).entries()) {
        await trx.executeQuery(withParameters(insertPart, [domainId, fileId, seq, part, toDriverBytes(bytes)]));
      }
    }),
  );
}

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
