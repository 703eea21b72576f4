import { readlinkSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { ClosableStore } from '../store/open-migrated-store.js';
import { settleBeforeClose } from '../store/settling-close.js';

/**
 * The SQLite files this process has open, by real path: the one store of each, and how many
 * handles share it.
 *
 * Why: better-sqlite3 waits for a lock synchronously. Two connections of one process on one
 * file would block each other's event loop — the second `BEGIN IMMEDIATE` spins for the whole
 * busy timeout while the first transaction, which needs that same event loop to finish,
 * cannot move — so the process froze for the timeout and then failed. Sharing one connection
 * (and its queue) per file makes the second opener's transactions wait their turn instead.
 */
const openFiles = new Map<string, { store: Promise<ClosableStore>; handles: number }>();

/** Most symbolic links followed by hand for one name (Linux's own limit is 40). */
const MAX_LINKS = 40;

/**
 * The key of a SQLite file: its real path (symbolic links and `..` resolved), or, for a file
 * not made yet, the real path of its folder joined with its name. A symbolic link to a file not
 * made yet (which `realpath` refuses) is followed by hand, link by link, to the name the file
 * will have: opening the link and opening the file afterwards must find one connection.
 */
export function sqliteFileKey(filename: string): string {
  let path = resolve(filename);
  for (let links = 0; links < MAX_LINKS; links++) {
    try {
      return realpathSync(path);
    } catch {
      // Missing, or a link to something missing.
    }
    let folder: string;
    try {
      folder = realpathSync(dirname(path));
    } catch {
      return path;
    }
    let target: string;
    try {
      target = readlinkSync(join(folder, basename(path)));
    } catch {
      // Not a link: a file to be made in a folder that exists.
      return join(folder, basename(path));
    }
    path = resolve(folder, target);
  }
  return path;
}

/**
 * A handle on the store of a SQLite file: the process's open store of that file when there is
 * one, else a new one from `open`. Each handle's `close()` settles its own calls; the last one
 * closes the file. Options (`lockTimeoutMs`) are those of the first opener.
 */
export async function sharedSqliteStore(key: string, open: () => Promise<ClosableStore>): Promise<ClosableStore> {
  let entry = openFiles.get(key);
  if (!entry) {
    entry = { store: open(), handles: 0 };
    openFiles.set(key, entry);
  }
  const current = entry;
  current.handles += 1;
  let store: ClosableStore;
  try {
    store = await current.store;
  } catch (error) {
    current.handles -= 1;
    if (openFiles.get(key) === current) openFiles.delete(key);
    throw error;
  }
  const release = async () => {
    current.handles -= 1;
    if (current.handles > 0) return;
    if (openFiles.get(key) === current) openFiles.delete(key);
    await store.close();
  };
  const { close: _closeShared, ...shared } = store;
  return settleBeforeClose(shared, release);
}

/** How many handles share the store of a file (0 when it is not open), for tests. */
export function sqliteFileHandles(key: string): number {
  return openFiles.get(key)?.handles ?? 0;
}
