import { describe, expect, it } from 'vitest';
import { memoryDirectory } from '../../adapters/memory/memory-directory.js';
import { memoryStore } from '../../adapters/memory/memory-store.js';
import { createCxAccounts } from '../../src/cx-accounts.js';
import { expectErr } from '../../testing/conformance/expectations.js';

const good = () => ({ store: memoryStore(), directory: memoryDirectory([]), contactUrlBase: 'https://talk.example.com/add/' });

describe('createCxAccounts', () => {
  it('R27: bad options never throw; every operation answers config_invalid naming them', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...good(), contactUrlBase: '/relative/' }, 'options.contactUrlBase'],
      [{ ...good(), contactUrlBase: 'ftp://files.example.com/' }, 'options.contactUrlBase'],
      [{ ...good(), timeZone: 'Mars/Base' }, 'options.timeZone'],
      [{ ...good(), store: {} }, 'options.store'],
      [{ ...good(), directory: null }, 'options.directory'],
      [{ ...good(), clock: 'now' }, 'options.clock'],
    ];
    for (const [options, path] of cases) {
      const cx = createCxAccounts(options as never);
      const overview = expectErr(await cx.products.overview('acme'), 'config_invalid');
      expect(overview.issues.map((issue) => issue.path)).toContain(path);
      expectErr(await cx.accounts.create('acme', { productId: 'p', name: 'N', id: 'n', agentIds: ['u'] }), 'config_invalid');
    }
    expectErr(await createCxAccounts(null as never).accounts.get('acme', 'help'), 'config_invalid');
  });

  it('R27: a directory that rejects becomes a directory_failure, not a throw', async () => {
    const cx = createCxAccounts({
      ...good(),
      directory: {
        search: async () => {
          throw new Error('directory down');
        },
        get: async () => {
          throw new Error('directory down');
        },
      },
    });
    await cx.products.set('acme', { productId: 'p', name: 'P', seatLimit: 1, quantity: 1 });
    const failure = expectErr(await cx.accounts.create('acme', { productId: 'p', name: 'N', id: 'n', agentIds: ['u'] }), 'directory_failure');
    expect(failure.message).toContain('directory down');
    expectErr(await cx.members.search('acme', 'kim'), 'directory_failure');
  });
});
