import type { Member, MemberDirectory } from '../../src/ports/member-directory.js';

/**
 * A member directory over a fixed list, for tests and demos. `search` matches a
 * case-insensitive substring of the name or email.
 *
 * @example
 * ```ts
 * const directory = memoryDirectory([
 *   { domainId: 'acme', id: 'u1', name: 'Kim Minji', email: 'minji@acme.test' },
 * ]);
 * ```
 *
 * @category Stores
 */
export function memoryDirectory(members: readonly (Member & { domainId: string })[]): MemberDirectory {
  const byDomain = new Map<string, Map<string, Member>>();
  for (const { domainId, id, name, email } of members) {
    const domain = byDomain.get(domainId) ?? new Map<string, Member>();
    domain.set(id, { id, name, email });
    byDomain.set(domainId, domain);
  }
  return {
    async search(domainId, query, limit) {
      const needle = query.toLowerCase();
      const found: Member[] = [];
      for (const member of byDomain.get(domainId)?.values() ?? []) {
        if (found.length >= limit) break;
        if (member.name.toLowerCase().includes(needle) || member.email.toLowerCase().includes(needle)) found.push({ ...member });
      }
      return found;
    },
    async get(domainId, memberIds) {
      const domain = byDomain.get(domainId);
      const found: Member[] = [];
      for (const id of memberIds) {
        const member = domain?.get(id);
        if (member) found.push({ ...member });
      }
      return found;
    },
  };
}
