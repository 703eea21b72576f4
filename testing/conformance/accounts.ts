import type { Result } from 'neverthrow';
import type { CxError } from '../../src/errors.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { CONTACT_URL_BASE, type Fixture } from '../conformance-fixture.js';
import { expectErr, expectOk } from './expectations.js';
import { seedProduct } from './seed.js';
import { JPEG_BYTES, TINY_PNG } from './tiny-png.js';

export function accountCases(fixture: () => Fixture) {
  describe('accounts', () => {
    let f: Fixture;
    beforeEach(async () => {
      f = fixture();
      await seedProduct(f.cx, { seatLimit: 3, quantity: 50 });
      await seedProduct(f.cx, { seatLimit: 3, quantity: 50 }, 'globex');
    });

    const create = (input: Record<string, unknown>, domainId = 'acme') =>
      f.cx.accounts.create(domainId, { productId: 'basic', name: 'Help', id: 'help', agentIds: ['u1'], ...input } as never);

    it('R5: trims names and counts user-perceived characters', async () => {
      expect(expectOk(await create({ name: '  Help desk  ' })).name).toBe('Help desk');
      expectOk(await create({ id: 'kr', name: '상담'.repeat(10) }));
      expectOk(await create({ id: 'emoji', name: '👍🏽'.repeat(20) }));
      const long = expectErr(await create({ id: 'long', name: 'a'.repeat(21) }), 'validation');
      expect(long.issues[0]).toMatchObject({ path: 'name' });
      expect(long.issues[0]?.message).toContain('21');
      expect(expectErr(await create({ id: 'blank', name: '   ' }), 'validation').issues[0]?.path).toBe('name');
      expect(expectErr(await create({ id: 'ctrl', name: 'a\u0007b' }), 'validation').issues[0]?.path).toBe('name');
    });

    it('R5: names are unique per domain after NFKC and lower-casing', async () => {
      expectOk(await create({ id: 'a1', name: 'Help' }));
      expectErr(await create({ id: 'a2', name: 'ｈｅｌｐ' }), 'name_taken');
      expectErr(await create({ id: 'a3', name: 'HELP' }), 'name_taken');
      expectOk(await create({ id: 'g1', name: 'Help', agentIds: ['x1'] }, 'globex'));
      expectOk(await f.cx.accounts.reset('acme', 'a1'));
      expectOk(await create({ id: 'a4', name: 'help' }));
    });

    it('R6: IDs are lowercase ASCII letters and digits, never rewritten', async () => {
      for (const id of ['Help', 'he lp', 'he-lp', 'he_lp', 'he.lp', 'hélp', '', 'a'.repeat(21), '상담']) {
        const error = expectErr(await create({ id, name: `N${id.length}` }), 'validation');
        expect(error.issues[0]?.path).toBe('id');
      }
      expect(expectOk(await create({ id: 'a'.repeat(20) })).id).toBe('a'.repeat(20));
      expect(expectOk(await f.cx.accounts.list('acme')).items).toHaveLength(1);
    });

    it('R6: IDs are unique across domains among active accounts', async () => {
      expectOk(await create({ id: 'shared', name: 'One' }));
      expectErr(await create({ id: 'shared', name: 'Two', agentIds: ['x1'] }, 'globex'), 'id_taken');
      expectOk(await f.cx.accounts.reset('acme', 'shared'));
      expectOk(await create({ id: 'shared', name: 'Two', agentIds: ['x1'] }, 'globex'));
    });

    it('R7: description is optional, at most 100 characters, null clears it', async () => {
      expect(expectOk(await create({ description: '상'.repeat(100) })).description).toBe('상'.repeat(100));
      expect(expectErr(await create({ id: 'b', name: 'B', description: 'd'.repeat(101) }), 'validation').issues[0]?.path).toBe(
        'description',
      );
      const cleared = expectOk(await f.cx.accounts.update('acme', 'help', { description: null }));
      expect(cleared.description).toBeNull();
    });

    it('R8: accepts a PNG and refuses a JPEG named .png, a truncated PNG and bad names', async () => {
      const account = expectOk(await create({ image: { fileName: 'logo.png', data: TINY_PNG } }));
      expect(account.image).toEqual({ fileName: 'logo.png', byteLength: TINY_PNG.byteLength, width: 1, height: 1 });
      expect(expectOk(await f.cx.accounts.image('acme', 'help'))).toEqual(TINY_PNG);
      const refused: [unknown, string][] = [
        [{ fileName: 'logo.png', data: JPEG_BYTES }, 'image.data'],
        [{ fileName: 'logo.png', data: TINY_PNG.slice(0, 40) }, 'image.data'],
        [{ fileName: 'Logo.png', data: TINY_PNG }, 'image.fileName'],
        [{ fileName: 'logo.jpg', data: TINY_PNG }, 'image.fileName'],
        ['logo.png', 'image'],
      ];
      for (const [image, path] of refused) {
        const error = expectErr(await f.cx.accounts.update('acme', 'help', { image } as never), 'validation');
        expect(error.issues.some((issue) => issue.path.startsWith(path)), JSON.stringify(error.issues)).toBe(true);
      }
      expect(expectOk(await f.cx.accounts.get('acme', 'help')).version).toBe(1);
      expect(expectOk(await f.cx.accounts.update('acme', 'help', { image: null })).image).toBeNull();
      expect(expectOk(await f.cx.accounts.image('acme', 'help'))).toBeNull();
    });

    it('R9: creates with activatedAt, version 1, default settings and a contact URL', async () => {
      const account = expectOk(await create({ agentIds: ['u1', 'u2'], description: 'We help' }));
      expect(account).toMatchObject({
        id: 'help',
        name: 'Help',
        description: 'We help',
        productId: 'basic',
        productName: 'Basic',
        agentIds: ['u1', 'u2'],
        version: 1,
        activatedAt: f.now(),
      });
      expect(account.settings.timeZone).toBe('UTC');
      expect(account.contactUrl.startsWith(CONTACT_URL_BASE)).toBe(true);
      expect(expectOk(await f.cx.accounts.get('acme', 'help'))).toEqual(account);
    });

    it('R9: agents must be 1 to seatLimit distinct members of the domain', async () => {
      expect(expectErr(await create({ agentIds: [] }), 'validation').issues[0]?.path).toBe('agentIds');
      expectErr(await create({ agentIds: ['u1', 'u1'] }), 'validation');
      const unknown = expectErr(await create({ agentIds: ['u1', 'ghost'] }), 'not_found');
      expect(unknown.entity).toBe('member');
      expect(expectErr(await create({ agentIds: ['x1'] }), 'not_found').entity).toBe('member');
      expect(expectOk(await f.cx.accounts.list('acme')).items).toEqual([]);
    });

    it('R10: lists oldest activation first with keyset cursors', async () => {
      const ids: string[] = [];
      for (let index = 0; index < 7; index++) {
        // Two accounts per instant: ties are ordered by ID.
        f.setNow(new Date(Date.UTC(2026, 10, 25, 3, Math.floor(index / 2))));
        const id = `acc${6 - index}`;
        ids.push(id);
        expectOk(await create({ id, name: `Name ${index}`, agentIds: index % 2 ? ['u1', 'u2'] : ['u1'] }));
      }
      const expected = [...ids].map((id, index) => ({ id, at: Math.floor(index / 2) })).sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1)).map((entry) => entry.id);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: { items: { id: string }[]; nextCursor: string | null } = expectOk(await f.cx.accounts.list('acme', { limit: 3, cursor }));
        seen.push(...page.items.map((item) => item.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      expect(seen).toEqual(expected);
      expect(pages).toBe(3);
      const first = expectOk(await f.cx.accounts.list('acme')).items[0];
      expect(first).toEqual({
        id: expected[0],
        name: expect.any(String),
        productName: 'Basic',
        contactUrl: expect.stringContaining(CONTACT_URL_BASE),
        activatedAt: new Date(Date.UTC(2026, 10, 25, 3, 0)),
        agentCount: expect.any(Number),
        seatLimit: expect.any(Number),
      });
      expectErr(await f.cx.accounts.list('acme', { limit: 0 }), 'validation');
      expectErr(await f.cx.accounts.list('acme', { limit: 201 }), 'validation');
      expectErr(await f.cx.accounts.list('acme', { cursor: 'garbage!' }), 'validation');
    });

    it('R11: contact URLs carry at least 128 random bits and never repeat for a reused ID', async () => {
      const first = expectOk(await create({}));
      const token = first.contactUrl.slice(CONTACT_URL_BASE.length);
      expect(token).toMatch(/^[A-Za-z0-9_-]{22,}$/);
      expectOk(await f.cx.accounts.update('acme', 'help', { name: 'Renamed' }));
      expect(expectOk(await f.cx.accounts.get('acme', 'help')).contactUrl).toBe(first.contactUrl);
      expectOk(await f.cx.accounts.reset('acme', 'help'));
      const second = expectOk(await create({}));
      expect(second.contactUrl).not.toBe(first.contactUrl);
    });

    it('R11: renders the contact URL as PNG or SVG', async () => {
      expectOk(await create({}));
      const png = expectOk(await f.cx.accounts.qrCode('acme', 'help'));
      expect(png).toBeInstanceOf(Uint8Array);
      expect([...png.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      const svg = expectOk(await f.cx.accounts.qrCode('acme', 'help', { format: 'svg' }));
      expect(svg).toContain('<svg');
      expectErr(await f.cx.accounts.qrCode('acme', 'help', { format: 'gif' } as never), 'validation');
      expectErr(await f.cx.accounts.qrCode('acme', 'nope'), 'not_found');
    });

    it('R12: every change raises the version; a stale expectedVersion changes nothing', async () => {
      expectOk(await create({}));
      const renamed = expectOk(await f.cx.accounts.update('acme', 'help', { name: 'Help 2' }, { expectedVersion: 1 }));
      expect(renamed.version).toBe(2);
      expectErr(await f.cx.accounts.update('acme', 'help', { name: 'Help 3' }, { expectedVersion: 1 }), 'version_conflict');
      expect(expectOk(await f.cx.accounts.get('acme', 'help'))).toMatchObject({ name: 'Help 2', version: 2 });
      expect(expectOk(await f.cx.agents.add('acme', 'help', ['u2'])).version).toBe(3);
      expect(expectOk(await f.cx.agents.remove('acme', 'help', 'u2')).version).toBe(4);
      expect(expectOk(await f.cx.settings.update('acme', 'help', { awayMessage: 'Away' })).version).toBe(5);
      const holiday = expectOk(await f.cx.holidays.add('acme', 'help', { start: '2026-12-24', end: '2026-12-25' }));
      expect(holiday.version).toBe(6);
      expect(expectOk(await f.cx.holidays.remove('acme', 'help', holiday.settings.holidays[0]!.id)).version).toBe(7);
      await seedProduct(f.cx, { productId: 'pro', name: 'Pro', seatLimit: 9, quantity: 1 });
      expect(expectOk(await f.cx.accounts.changeProduct('acme', 'help', 'pro')).version).toBe(8);
      expectErr(await f.cx.settings.update('acme', 'help', { awayMessage: 'x' }, { expectedVersion: 7 }), 'version_conflict');
      expectErr(await f.cx.accounts.reset('acme', 'help', { expectedVersion: 7 }), 'version_conflict');
      expect(expectOk(await f.cx.accounts.get('acme', 'help')).version).toBe(8);
      expectOk(await f.cx.accounts.reset('acme', 'help', { expectedVersion: 8 }));
    });

    it('R12: renaming to a name taken in the domain fails', async () => {
      expectOk(await create({ id: 'a1', name: 'One' }));
      expectOk(await create({ id: 'a2', name: 'Two' }));
      expectErr(await f.cx.accounts.update('acme', 'a2', { name: 'ONE' }), 'name_taken');
      expect(expectOk(await f.cx.accounts.update('acme', 'a1', { name: 'one' })).name).toBe('one');
    });

    it('R13: accounts of another domain and reset accounts are not_found', async () => {
      expectOk(await create({}));
      const foreign: Result<unknown, CxError>[] = [
        await f.cx.accounts.get('globex', 'help'),
        await f.cx.accounts.update('globex', 'help', { name: 'Mine' }),
        await f.cx.agents.add('globex', 'help', ['x1']),
        await f.cx.accounts.reset('globex', 'help'),
        await f.cx.accounts.qrCode('globex', 'help'),
        await f.cx.settings.update('globex', 'help', { awayMessage: 'x' }),
      ];
      for (const result of foreign) {
        const error = expectErr(result, 'not_found');
        expect(error.entity).toBe('account');
        expect(error.message).not.toContain('acme');
      }
      expectOk(await f.cx.accounts.reset('acme', 'help'));
      expect(expectErr(await f.cx.accounts.get('acme', 'help'), 'not_found').entity).toBe('account');
      expectErr(await f.cx.accounts.reset('acme', 'help'), 'not_found');
      expect(expectOk(await f.cx.accounts.list('acme')).items).toEqual([]);
    });
  });
}
