/**
 * The random workload of the multi-process stress test (R28): domains, members, and one
 * random operation at a time through the public operations — creates with colliding IDs and
 * names, agent adds and removes, product changes, resets, product quantity changes.
 */
import type { CxAccounts } from '../../../src/cx-accounts.js';
import { memoryDirectory } from '../../../adapters/memory/memory-directory.js';
import type { MemberDirectory } from '../../../src/ports/member-directory.js';

/** The domains the workers share. */
export const STRESS_DOMAINS = ['d0', 'd1', 'd2'] as const;
/** The members of every domain. */
export const STRESS_MEMBERS = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6'] as const;
// Few IDs shared by every domain, and names that collide after NFKC + lower-casing.
const IDS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
const NAMES = ['Help', 'HELP', 'ｈｅｌｐ', 'Sales', 'Desk', 'Ｄｅｓｋ', 'Support'];
const PRODUCTS = ['basic', 'pro'];

/** The directory every worker uses: each member in each domain. */
export function stressDirectory(): MemberDirectory {
  return memoryDirectory(STRESS_DOMAINS.flatMap((domainId) => STRESS_MEMBERS.map((id) => ({ domainId, id, name: id, email: `${id}@${domainId}.test` }))));
}

/** The products every domain starts with. */
export async function seedStressProducts(cx: CxAccounts): Promise<void> {
  for (const domainId of STRESS_DOMAINS) {
    for (const [productId, seatLimit, quantity] of [['basic', 2, 3], ['pro', 4, 2]] as const) {
      const result = await cx.products.set(domainId, { productId, name: productId, seatLimit, quantity });
      if (result.isErr()) throw new Error(`seeding ${domainId}/${productId}: ${result.error.message}`);
    }
  }
}

/** A small seeded generator (mulberry32), so a run can be replayed. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const some = <T>(items: readonly T[], count: number): T[] => [...items].sort(() => next() - 0.5).slice(0, count);
  return { next, pick, int, some };
}

type Random = ReturnType<typeof seededRandom>;

/** One random operation; answers `'<operation>:<ok | error code>'`. */
export async function randomStressOperation(cx: CxAccounts, random: Random): Promise<string> {
  const domainId = random.pick(STRESS_DOMAINS);
  const id = random.pick(IDS);
  const roll = random.next();
  const [operation, result] =
    roll < 0.3
      ? ['create', await cx.accounts.create(domainId, { productId: random.pick(PRODUCTS), id, name: random.pick(NAMES), agentIds: random.some(STRESS_MEMBERS, random.int(1, 3)) })]
      : roll < 0.5
        ? ['add', await cx.agents.add(domainId, id, random.some(STRESS_MEMBERS, random.int(1, 2)))]
        : roll < 0.7
          ? ['remove', await cx.agents.remove(domainId, id, random.pick(STRESS_MEMBERS))]
          : roll < 0.8
            ? ['changeProduct', await cx.accounts.changeProduct(domainId, id, random.pick(PRODUCTS))]
            : roll < 0.9
              ? ['reset', await cx.accounts.reset(domainId, id)]
              : [
                  'setProduct',
                  await cx.products.set(domainId, { productId: 'basic', name: 'basic', seatLimit: random.int(2, 3), quantity: random.int(1, 4) }),
                ];
  return `${operation}:${result.isOk() ? 'ok' : result.error.code}`;
}
