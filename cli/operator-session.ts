import type { ClosableStore } from '../adapters/sql/store/open-migrated-store.js';
import { createCxAccounts, type CxAccounts } from '../src/cx-accounts.js';
import { describeFailure } from './cli-io.js';
import { openTarget, type DatabaseTarget } from './database-url.js';

/** A store opened for an operator's command, and `cx` over it. */
export type OperatorSession = { store: ClosableStore; cx: CxAccounts };

/**
 * Opens the database of a command and wires `cx` to it with the manual backup runner. The
 * operators' commands read what the store holds only: no member directory is asked and no
 * contact URL is made, so `cx` gets an empty directory and a placeholder URL base. Answers
 * `null` (having told `fail` why) when the database cannot be opened.
 */
export async function openOperatorSession(
  target: DatabaseTarget,
  fail: (message: string) => void,
  webhooks: { allowHttp?: boolean; allowPrivateNetworks?: boolean } = {},
): Promise<OperatorSession | null> {
  let store: ClosableStore;
  try {
    store = await openTarget(target);
  } catch (thrown) {
    fail(describeFailure(thrown));
    return null;
  }
  const cx = createCxAccounts({
    store,
    directory: { search: async () => [], get: async () => [] },
    contactUrlBase: 'https://operator.invalid/',
    backups: { runner: 'manual' },
    webhooks: { runner: 'manual', ...webhooks },
  });
  return { store, cx };
}

