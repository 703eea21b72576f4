import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../adapters/memory/memory-store.js';
import { makeFixture } from '../../testing/conformance-fixture.js';
import { expectErr, expectOk } from '../../testing/conformance/expectations.js';
import { seedAccount, seedProduct } from '../../testing/conformance/seed.js';

describe('consultation messages', () => {
  it('R19: each message holds at most 500 user-perceived characters, and the issue names the field and the count', async () => {
    const { cx } = makeFixture(memoryStore());
    await seedProduct(cx);
    await seedAccount(cx);
    const longest = '👨‍👩‍👧‍👦'.repeat(500);
    const saved = expectOk(
      await cx.settings.update('acme', 'help', { welcomeMessage: longest, awayMessage: '안'.repeat(500), holidayMessage: 'x'.repeat(500) }),
    );
    expect(saved.settings.welcomeMessage).toBe(longest);
    for (const field of ['welcomeMessage', 'awayMessage', 'holidayMessage'] as const) {
      const error = expectErr(await cx.settings.update('acme', 'help', { [field]: 'x'.repeat(501) }), 'validation');
      expect(error.issues).toEqual([{ path: field, message: 'at most 500 characters, got 501' }]);
    }
    expect(expectOk(await cx.accounts.get('acme', 'help')).version).toBe(2);
  });

  it('R19: an empty message means none is sent', async () => {
    const { cx } = makeFixture(memoryStore());
    await seedProduct(cx);
    await seedAccount(cx);
    expectOk(await cx.settings.update('acme', 'help', { welcomeMessage: '' }));
    expect(expectOk(await cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: 'Lee', channel: 'line' }))).toBeNull();
    expectOk(await cx.settings.update('acme', 'help', { welcomeMessage: 'Hello' }));
    expect(expectOk(await cx.conversations.addContact('acme', 'help', { customerId: 'c2', name: 'Kim', channel: 'line' }))).toEqual({
      kind: 'welcome',
      text: 'Hello',
    });
  });
});
