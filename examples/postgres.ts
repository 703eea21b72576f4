/**
 * cx-accounts on PostgreSQL: run it with `npm run example:postgres`.
 *
 * Connects to `DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/test`), creates the
 * `cx_` tables if they are missing, and runs a short scenario in a domain of its own. Every
 * run uses fresh account IDs (IDs are unique across domains, R6) and resets its accounts at
 * the end, so it can run any number of times against the same database.
 *
 * Exits with status 1 and a message saying what to check when the database is unreachable.
 */
import { randomBytes } from 'node:crypto';
import { createCxAccounts, type CxError, type Result } from '../src/index.js';
import { memoryDirectory } from '../adapters/memory/index.js';
import { openPostgres } from '../adapters/sql/index.js';

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** The URL without its password, for messages. */
function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(not a valid URL)';
  }
}

/** Prints a result in one line: the value's summary, or the error's code and message. */
function show<T>(label: string, result: Result<T, CxError>, summary: (value: T) => string = (value) => JSON.stringify(value)) {
  if (result.isOk()) console.log(`  ✔ ${label}: ${summary(result.value)}`);
  else console.log(`  ✘ ${label}: ${result.error.code} — ${result.error.message}`);
  return result;
}

async function main(): Promise<number> {
  const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  let store;
  try {
    store = await openPostgres({ connectionString: databaseUrl, poolSize: 4 });
  } catch (error) {
    console.error(`Cannot use PostgreSQL at ${redacted(databaseUrl)}.`);
    console.error(`  ${error instanceof Error ? error.message : String(error)}`);
    console.error('Start a PostgreSQL server, or point DATABASE_URL at one, e.g.');
    console.error('  DATABASE_URL=postgres://user:password@host:5432/database npm run example:postgres');
    return 1;
  }

  // A run of its own: a fresh domain, and account IDs no earlier run can hold.
  const run = randomBytes(4).toString('hex');
  const domainId = `example-${run}`;
  const helpId = `help${run}`;
  const salesId = `sales${run}`;

  try {
    const cx = createCxAccounts({
      store,
      directory: memoryDirectory([
        { domainId, id: 'minji', name: 'Kim Minji', email: 'minji@acme.test' },
        { domainId, id: 'haruto', name: 'Sato Haruto', email: 'haruto@acme.test' },
        { domainId, id: 'alex', name: 'Alex Doe', email: 'alex@acme.test' },
      ]),
      contactUrlBase: 'https://talk.example.com/add/',
      timeZone: 'Asia/Seoul',
    });

    console.log(`\nStore: PostgreSQL at ${redacted(databaseUrl)}, domain ${domainId}\n`);

    console.log('1. Products');
    show('set Basic (2 seats, 1 unit)', await cx.products.set(domainId, { productId: 'basic', name: 'Basic', seatLimit: 2, quantity: 1 }));
    show('set Pro (5 seats, 2 units)', await cx.products.set(domainId, { productId: 'pro', name: 'Pro', seatLimit: 5, quantity: 2 }));

    console.log('\n2. Accounts');
    show(`create "Help desk" (id ${helpId})`, await cx.accounts.create(domainId, {
      productId: 'basic', name: 'Help desk', id: helpId, agentIds: ['minji'],
    }), (account) => `version ${account.version}, contact URL ${account.contactUrl}`);
    show('create a second Basic account', await cx.accounts.create(domainId, {
      productId: 'basic', name: 'Returns', id: `returns${run}`, agentIds: ['alex'],
    }));
    show(`create "営業窓口" (id ${salesId})`, await cx.accounts.create(domainId, {
      productId: 'pro', name: '営業窓口', id: salesId, agentIds: ['haruto', 'alex'],
    }), (account) => `${account.name} on ${account.productName}`);

    console.log('\n3. Agents');
    show('add haruto to help', await cx.agents.add(domainId, helpId, ['haruto']), (account) => account.agentIds.join(', '));
    show('add alex to help (Basic has 2 seats)', await cx.agents.add(domainId, helpId, ['alex']));
    show('remove alex from sales', await cx.agents.remove(domainId, salesId, 'alex'), (account) => account.agentIds.join(', '));
    show('access of alex', await cx.agents.access(domainId, 'alex'), (access) => (access.hasAccess ? 'yes' : 'no'));

    console.log('\n4. Product overview');
    show('overview', await cx.products.overview(domainId), (overview) =>
      `${overview.activeAccounts} active of ${overview.totalPurchased} purchased — ` +
      overview.products.map((product) => `${product.name} ${product.inUse}/${product.quantity}`).join(', '));
    show('list accounts', await cx.accounts.list(domainId), (page) =>
      page.items.map((item) => `${item.id} (${item.productName}, ${item.agentCount} agent${item.agentCount === 1 ? '' : 's'})`).join(', '));

    console.log('\n5. Clean up');
    for (const accountId of [helpId, salesId]) {
      show(`reset ${accountId}`, await cx.accounts.reset(domainId, accountId), (report) =>
        `agents released: ${report.releasedAgentIds.join(', ') || 'none'}`);
    }
    console.log('\nDone.\n');
    return 0;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
