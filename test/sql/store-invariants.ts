/**
 * The invariants of R3–R6 and R15–R17 read straight from the tables of a SQL store, for the
 * stress and race tests (R28): whatever ran concurrently, these must hold afterwards.
 */
import type { Kysely } from 'kysely';
import type { CxDatabase } from '../../adapters/sql/cx-database.js';

/** What the invariant check looked at, and what broke. */
export type InvariantReport = {
  /** Active accounts seen. */
  activeAccounts: number;
  /** One line per broken invariant, naming the domain and account. */
  violations: string[];
};

/**
 * Checks, over every domain of the database: units in use ≤ quantity (R3), agents ≤ the
 * product's seat limit (R4), each active ID once across all domains (R6) and each name once
 * per domain (R5), at least one agent per active account (R9, R16), `agent_count` equal to
 * the agent rows, and reset accounts no longer holding their ID or name.
 */
export async function checkStoreInvariants(db: Kysely<CxDatabase>): Promise<InvariantReport> {
  const violations: string[] = [];
  const active = await db
    .selectFrom('cx_accounts')
    .select(['key', 'domain_id', 'id', 'name_key', 'product_id', 'agent_count'])
    .where('reset_at', 'is', null)
    .execute();
  const agentRows = await db.selectFrom('cx_account_agents').select(['account_key', 'member_id']).execute();
  const products = await db.selectFrom('cx_products').select(['domain_id', 'product_id', 'seat_limit', 'quantity']).execute();
  const productOf = new Map(products.map((product) => [`${product.domain_id}/${product.product_id}`, product]));
  const agentsOf = new Map<string, number>();
  for (const row of agentRows) agentsOf.set(row.account_key, (agentsOf.get(row.account_key) ?? 0) + 1);

  const ids = new Map<string, string>();
  const names = new Set<string>();
  const inUse = new Map<string, number>();
  for (const account of active) {
    const where = `${account.domain_id}/${account.id}`;
    const agents = agentsOf.get(account.key) ?? 0;
    const productKey = `${account.domain_id}/${account.product_id}`;
    const product = productOf.get(productKey);
    if (!product) violations.push(`${where}: product ${account.product_id} missing`);
    else if (agents > Number(product.seat_limit)) violations.push(`${where}: ${agents} agents over seat limit ${product.seat_limit} (R4)`);
    if (agents < 1) violations.push(`${where}: no agent left (R16)`);
    if (Number(account.agent_count) !== agents) violations.push(`${where}: agent_count ${account.agent_count} but ${agents} agent rows`);
    const idKey = account.id.toLowerCase();
    const holder = ids.get(idKey);
    if (holder !== undefined) violations.push(`${account.id}: active in ${holder} and ${account.domain_id} at once (R6)`);
    ids.set(idKey, account.domain_id);
    const nameKey = `${account.domain_id}/${account.name_key}`;
    if (names.has(nameKey)) violations.push(`${where}: name ${account.name_key} used twice (R5)`);
    names.add(nameKey);
    inUse.set(productKey, (inUse.get(productKey) ?? 0) + 1);
  }
  for (const [productKey, used] of inUse) {
    const product = productOf.get(productKey);
    if (product && used > Number(product.quantity)) violations.push(`${productKey}: ${used} accounts over quantity ${product.quantity} (R3)`);
  }
  const resetButHolding = await db
    .selectFrom('cx_accounts')
    .select(['domain_id', 'id'])
    .where('reset_at', 'is not', null)
    .where((eb) => eb.or([eb('active_id', 'is not', null), eb('active_domain_id', 'is not', null), eb('active_name_hash', 'is not', null)]))
    .execute();
  for (const account of resetButHolding) violations.push(`${account.domain_id}/${account.id}: reset but still holding its ID or name`);
  return { activeAccounts: active.length, violations };
}
