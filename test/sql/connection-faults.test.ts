/**
 * R27 R28 R30 R47 under fire (issue 14): on the PostgreSQL and MariaDB servers, several
 * workers run 3,000+ writes through the public operations on one store (a pool of a few
 * connections) while a killer, on its own admin connection, terminates the store's server
 * connections every few milliseconds — any of them, and preferably one that is running
 * `COMMIT`, so that some calls end with `outcome: 'unknown'`.
 *
 * Every call acts as its own actor (`cx.as('op:<n>')`, R33), so the event log says which calls
 * took effect. Afterwards, with the killer stopped:
 * - (a) a call answered `store_failure` / `rolled_back` changed nothing: no event carries its
 *   actor, its message is not in the history, its account or product does not exist; a call
 *   answered ok has its events; the state equals the replay of the event log (R32), and every
 *   stored message has its event and every message event its message;
 * - (b) every `unknown` message sent again with its `messageId` (R47) is in the history exactly once
 *   (and so is a sample of `rolled_back` ones: no receipt was kept without its message);
 * - (c) invariants hold: seats, units, at least one agent, `seq` 1..N without gap (R30), read
 *   through the API and straight from the tables.
 */
import { Kysely, MysqlDialect, PostgresDialect } from 'kysely';
import { createPool } from 'mysql2';
import type { Result } from 'neverthrow';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryDirectory } from '../../adapters/memory/memory-directory.js';
import type { CxDatabase } from '../../adapters/sql/cx-database.js';
import type { ClosableStore } from '../../adapters/sql/store/open-migrated-store.js';
import { openMysql } from '../../adapters/sql/mysql/open-mysql.js';
import { openPostgres } from '../../adapters/sql/postgres/open-postgres.js';
import type { HistoryMessage } from '../../src/conversations/conversation-reads.js';
import { createCxAccounts, type CxAccounts } from '../../src/cx-accounts.js';
import type { CxError } from '../../src/errors.js';
import type { CxEvent } from '../../src/events/cx-event.js';
import { replayEvents } from '../../testing/event-replay.js';
import {
  checkAvailable,
  createMysqlDatabase,
  createPostgresDatabase,
  MYSQL_URL,
  mysqlFactory,
  POSTGRES_URL,
  postgresFactory,
} from '../stores/sql-stores.js';
import { checkStoreInvariants } from './store-invariants.js';

const OPERATIONS = 3_000;
/**
 * The load is sized to a time budget: it stops at OPERATIONS or when the budget is spent,
 * whichever comes first, but never before MIN_OPERATIONS. A loaded machine does fewer calls
 * (and says how many); every check below holds for any number.
 */
const BUDGET_MS = Number(process.env.CX_STRESS_BUDGET_MS ?? 40_000);
const MIN_OPERATIONS = 1_000;
const WORKERS = 8;
const POOL_SIZE = 4;
const DOMAINS = ['d0', 'd1', 'd2', 'd3'];
const MEMBERS = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6'];
const CUSTOMERS = ['c1', 'c2', 'c3'];
const SEAT_LIMIT = 4;

/** A small seeded generator (mulberry32), so a failing run can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const some = <T>(items: readonly T[], count: number): T[] => [...items].sort(() => next() - 0.5).slice(0, count);
  return { next, pick, some, int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)) };
}
type Rng = ReturnType<typeof random>;

type Kind =
  | 'agents.add'
  | 'agents.remove'
  | 'agents.set'
  | 'products.set'
  | 'products.set(new)'
  | 'accounts.create'
  | 'accounts.update'
  | 'settings.update'
  | 'receiveMessage'
  | 'sendMessage';

/** Kinds whose successful call always appends at least one event (agents.set may change nothing). */
const ALWAYS_EVENTS = new Set<Kind>(['agents.add', 'agents.remove', 'products.set', 'products.set(new)', 'accounts.create', 'accounts.update', 'settings.update', 'receiveMessage', 'sendMessage']);

/** One call: what it aimed at, the marker that shows its effect, and its answer. */
type Call = {
  n: number;
  kind: Kind;
  domainId: string;
  accountId: string;
  /** The actor (`op:<n>`), and the content / messageId / ID / product id / text the call writes. */
  marker: string;
  /** For messages: the input, to send again after an `unknown` outcome. */
  resend?: () => Promise<Result<unknown, CxError>>;
  code: string;
  outcome?: 'rolled_back' | 'unknown';
  message?: string;
};

type Server = {
  name: string;
  available: boolean;
  create: () => Promise<{ url: string; drop: () => Promise<void> }>;
  open: (url: string) => Promise<ClosableStore>;
  inspect: (url: string) => Kysely<CxDatabase>;
  /** Pause between two kills, in ms (PostgreSQL forks a backend per new connection: slower to reconnect). */
  killEvery: [number, number];
  /** A killer on its own admin connection (to the server's default database, not the store's). */
  killer: (database: string) => Promise<{ killOne: () => Promise<number>; end: () => Promise<void> }>;
};

const servers: Server[] = [
  {
    name: 'PostgreSQL',
    available: await checkAvailable(postgresFactory),
    create: () => createPostgresDatabase(),
    open: (url) => openPostgres({ connectionString: url, poolSize: POOL_SIZE }),
    killEvery: [5, 15],
    inspect: (url) => new Kysely<CxDatabase>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }) }),
    killer: async (database) => {
      const admin = new pg.Client({ connectionString: POSTGRES_URL });
      admin.on('error', () => undefined);
      await admin.connect();
      // A backend running COMMIT when there is one (to make `unknown` outcomes), else any of the store's.
      const query = `select pg_terminate_backend(pid) as done from (
          select pid from pg_stat_activity
          where datname = $1 and pid <> pg_backend_pid() and backend_type = 'client backend'
          order by (state = 'active' and lower(query) = 'commit') desc, random() limit 1) chosen`;
      return {
        killOne: async () => (await admin.query<{ done: boolean }>(query, [database])).rows.filter((row) => row.done).length,
        end: () => admin.end(),
      };
    },
  },
  {
    name: 'MariaDB',
    available: await checkAvailable(mysqlFactory),
    create: () => createMysqlDatabase(),
    open: (url) => openMysql({ uri: url, poolSize: POOL_SIZE }),
    killEvery: [3, 10],
    inspect: (url) => new Kysely<CxDatabase>({ dialect: new MysqlDialect({ pool: createPool({ uri: url, connectionLimit: 1 }) }) }),
    killer: async (database) => {
      const mysql = await import('mysql2/promise');
      const admin = await mysql.createConnection({ uri: MYSQL_URL });
      return {
        killOne: async () => {
          const [rows] = await admin.query(
            `select id from information_schema.processlist
             where db = ? and id <> connection_id() and command <> 'Daemon'
             order by (lower(coalesce(info, '')) = 'commit') desc, rand() limit 1`,
            [database],
          );
          const id = (rows as { id: number }[])[0]?.id;
          if (id === undefined) return 0;
          try {
            await admin.query(`kill connection ${Number(id)}`);
            return 1;
          } catch {
            return 0; // gone already
          }
        },
        end: () => admin.end(),
      };
    },
  },
];

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
}, 60_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every event of a domain, read page by page. */
async function allEvents(cx: CxAccounts, domainId: string): Promise<{ events: CxEvent[]; lastSeq: number }> {
  const events: CxEvent[] = [];
  let lastSeq = 0;
  for (;;) {
    const page = await settle(() => cx.events.read(domainId, { after: events.at(-1)?.seq ?? 0, limit: 1000 }));
    lastSeq = page.lastSeq;
    events.push(...page.events);
    if (page.events.length === 0) return { events, lastSeq };
  }
}

/** Every stored message of a domain. */
async function allMessages(cx: CxAccounts, domainId: string): Promise<HistoryMessage[]> {
  const messages: HistoryMessage[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: HistoryMessage[]; nextCursor: string | null } = await settle(() => cx.conversations.history(domainId, { limit: 500, cursor }));
    messages.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return messages;
}

/** Every active account of a domain, as `accounts.get` answers it. */
async function activeAccounts(cx: CxAccounts, domainId: string) {
  const accounts = [];
  let cursor: string | null = null;
  do {
    const page: { items: { id: string }[]; nextCursor: string | null } = await settle(() => cx.accounts.list(domainId, { limit: 200, cursor }));
    for (const item of page.items) accounts.push(await settle(() => cx.accounts.get(domainId, item.id)));
    cursor = page.nextCursor;
  } while (cursor);
  return accounts;
}

/** Retries a call (before the killer starts, or after it stopped: a pool may still hand out a dying connection) until it answers ok. */
async function settle<T, E extends CxError>(call: () => PromiseLike<Result<T, E>>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const result = await call();
    if (result.isOk() || attempt >= 5) return result._unsafeUnwrap();
    await sleep(50);
  }
}

/** Account IDs believed active, and their agents as last answered, per domain. */
type Known = Map<string, Map<string, string[]>>;

async function runOne(cx: CxAccounts, rng: Rng, known: Known, n: number): Promise<Call> {
  const domainId = rng.pick(DOMAINS);
  const accounts = known.get(domainId)!;
  const accountId = rng.pick([...accounts.keys()]);
  const marker = `op${n}`;
  const as = cx.as(`op:${n}`);
  const roll = rng.next();
  const remember = (result: Result<unknown, CxError>) => {
    if (result.isOk()) {
      // Only the seeded accounts are targets: they have the contacts messages need.
      const account = result.value as { id: string; agentIds: string[] };
      if (accounts.has(account.id)) accounts.set(account.id, account.agentIds);
    }
  };
  let kind: Kind;
  let result: Result<unknown, CxError>;
  let resend: (() => Promise<Result<unknown, CxError>>) | undefined;
  if (roll < 0.14) {
    kind = 'agents.add';
    result = await as.agents.add(domainId, accountId, [rng.pick(MEMBERS)]);
    remember(result);
  } else if (roll < 0.26) {
    kind = 'agents.remove';
    result = await as.agents.remove(domainId, accountId, rng.pick(accounts.get(accountId) ?? MEMBERS));
    remember(result);
  } else if (roll < 0.36) {
    kind = 'agents.set';
    result = await as.agents.set(domainId, accountId, rng.some(MEMBERS, rng.int(1, 3)));
    remember(result);
  } else if (roll < 0.41) {
    kind = 'products.set';
    result = await as.products.set(domainId, { productId: 'p1', name: `P1 ${n}`, seatLimit: SEAT_LIMIT, quantity: rng.int(40, 200) });
  } else if (roll < 0.44) {
    kind = 'products.set(new)';
    result = await as.products.set(domainId, { productId: marker, name: marker, seatLimit: 1, quantity: 1 });
  } else if (roll < 0.5) {
    kind = 'accounts.create';
    result = await as.accounts.create(domainId, {
      productId: rng.pick(['p0', 'p1']),
      name: `N ${marker}`,
      id: marker,
      agentIds: rng.some(MEMBERS, rng.int(1, 3)),
    });
    remember(result);
  } else if (roll < 0.56) {
    kind = 'accounts.update';
    result = await as.accounts.update(domainId, accountId, { name: `U ${marker}`, description: marker });
    remember(result);
  } else if (roll < 0.62) {
    kind = 'settings.update';
    result = await as.settings.update(domainId, accountId, { awayMessage: marker });
  } else if (roll < 0.85) {
    kind = 'receiveMessage';
    const input = { customerId: rng.pick(CUSTOMERS), content: marker, channel: 'line' as const, messageId: marker };
    const send = async (): Promise<Result<unknown, CxError>> => await as.conversations.receiveMessage(domainId, accountId, input);
    resend = send;
    result = await send();
  } else {
    kind = 'sendMessage';
    const agents = accounts.get(accountId) ?? MEMBERS;
    const input = { agentId: rng.pick(agents), customerId: rng.pick(CUSTOMERS), content: marker, messageId: marker };
    const send = async (): Promise<Result<unknown, CxError>> => await as.conversations.sendMessage(domainId, accountId, input);
    resend = send;
    result = await send();
  }
  const call: Call = { n, kind, domainId, accountId, marker, code: result.isOk() ? 'ok' : result.error.code };
  if (resend) call.resend = resend;
  if (result.isErr() && result.error.code === 'store_failure') {
    call.outcome = result.error.outcome;
    call.message = result.error.message;
  }
  return call;
}

describe('R27 R28 R47: connections terminated under a write load', () => {
  for (const server of servers) {
    it.skipIf(!server.available)(
      `${server.name}: up to ${OPERATIONS} writes (a time budget) from ${WORKERS} workers on ${POOL_SIZE} connections, a connection killed every few ms: rolled_back changed nothing, unknown retried once, invariants hold`,
      async () => {
        const database = await server.create();
        cleanups.push(database.drop);
        const store = await server.open(database.url);
        cleanups.push(() => store.close());
        const cx = createCxAccounts({
          store,
          directory: memoryDirectory(DOMAINS.flatMap((domainId) => MEMBERS.map((id) => ({ domainId, id, name: `Member ${id}`, email: `${id}@${domainId}.test` })))),
          contactUrlBase: 'https://talk.example.com/add/',
        });

        // Seed: two products, four accounts per domain, every customer a contact of every account.
        const known: Known = new Map();
        for (const domainId of DOMAINS) {
          known.set(domainId, new Map());
          await settle(() => cx.products.set(domainId, { productId: 'p0', name: 'P0', seatLimit: SEAT_LIMIT, quantity: 10_000 }));
          await settle(() => cx.products.set(domainId, { productId: 'p1', name: 'P1', seatLimit: SEAT_LIMIT, quantity: 100 }));
          for (let index = 0; index < 4; index++) {
            const account = await settle(() =>
              cx.accounts.create(domainId, { productId: 'p0', name: `Seed ${index}`, id: `${domainId}s${index}`, agentIds: ['m1', 'm2'] }),
            );
            known.get(domainId)!.set(account.id, account.agentIds);
            for (const customerId of CUSTOMERS) {
              await settle(() => cx.conversations.addContact(domainId, account.id, { customerId, name: `Customer ${customerId}`, channel: 'line' }));
            }
          }
        }

        // The killer: one connection of the store every few ms (`killEvery`), until the workers are done.
        const databaseName = new URL(database.url).pathname.slice(1);
        const killer = await server.killer(databaseName);
        let stop = false;
        let kills = 0;
        const killing = (async () => {
          const rng = random(7);
          while (!stop) {
            try {
              kills += await killer.killOne();
            } catch {
              // The admin connection never dies here; a hiccup is not a finding.
            }
            await sleep(rng.int(...server.killEvery));
          }
        })();

        const started = performance.now();
        const calls: Call[] = [];
        let next = 0;
        await Promise.all(
          Array.from({ length: WORKERS }, async (_, worker) => {
            const rng = random(1000 + worker);
            while (next < OPERATIONS && (next < MIN_OPERATIONS || performance.now() - started < BUDGET_MS)) {
              calls.push(await runOne(cx, rng, known, next++));
            }
          }),
        );
        stop = true;
        await killing;
        await killer.end();
        const loadSeconds = (performance.now() - started) / 1000;

        // Every connection the killer left half-dead is dropped by the pools; let them notice.
        await sleep(100);
        const violations: string[] = [];
        const unknownCalls = calls.filter((call) => call.outcome === 'unknown');
        const rolledBack = calls.filter((call) => call.outcome === 'rolled_back');

        // (a) What each call left behind, read from the event log, the history and the state.
        for (const domainId of DOMAINS) {
          const { events, lastSeq } = await allEvents(cx, domainId);
          const messages = await allMessages(cx, domainId);
          const accounts = await activeAccounts(cx, domainId);
          const overview = await settle(() => cx.products.overview(domainId));
          const eventsByActor = new Map<string, CxEvent[]>();
          for (const event of events) {
            if (event.actor !== null) eventsByActor.set(event.actor, [...(eventsByActor.get(event.actor) ?? []), event]);
          }
          const contentCount = new Map<string, number>();
          for (const message of messages) contentCount.set(message.content, (contentCount.get(message.content) ?? 0) + 1);

          // (c) R30: seq 1..N without gap or repeat.
          if (events.some((event, index) => event.seq !== index + 1) || lastSeq !== events.length) {
            violations.push(`${domainId}: event seq has a gap or repeat (${events.length} events, lastSeq ${lastSeq})`);
          }

          for (const call of calls.filter((each) => each.domainId === domainId)) {
            const own = eventsByActor.get(`op:${call.n}`) ?? [];
            const stored = contentCount.get(call.marker) ?? 0;
            const isMessage = call.kind === 'receiveMessage' || call.kind === 'sendMessage';
            if (call.outcome === 'rolled_back' || (call.code !== 'ok' && call.outcome === undefined)) {
              if (own.length > 0) violations.push(`${call.kind} #${call.n} answered ${call.code}/${call.outcome ?? '-'} but appended ${own.map((e) => e.type).join(', ')}`);
              if (isMessage && stored > 0) violations.push(`${call.kind} #${call.n} answered ${call.code}/${call.outcome ?? '-'} but its message is stored`);
              if (call.kind === 'accounts.create' && accounts.some((account) => account.id === call.marker)) {
                violations.push(`accounts.create #${call.n} answered ${call.code}/${call.outcome ?? '-'} but the account exists`);
              }
              if (call.kind === 'products.set(new)' && overview.products.some((product) => product.productId === call.marker)) {
                violations.push(`products.set #${call.n} answered ${call.code}/${call.outcome ?? '-'} but the product exists`);
              }
            }
            if (call.code === 'ok') {
              if (ALWAYS_EVENTS.has(call.kind) && own.length === 0) violations.push(`${call.kind} #${call.n} answered ok but appended no event`);
              if (isMessage && stored !== 1) violations.push(`${call.kind} #${call.n} answered ok but its message is stored ${stored} times`);
            }
            if (call.outcome === 'unknown' && isMessage && stored > 1) violations.push(`${call.kind} #${call.n} (unknown) stored ${stored} times`);
            if (isMessage && stored > 0 && !own.some((event) => event.type === (call.kind === 'receiveMessage' ? 'message.received' : 'message.sent'))) {
              violations.push(`${call.kind} #${call.n}: message stored without its event`);
            }
          }

          // A text a call wrote that is still there (the last away message, description, name, or a
          // product) belongs to a call whose events are in the log.
          const writers = [
            ...accounts.flatMap((account) => [account.settings.awayMessage, account.description ?? '', account.name.replace(/^U /, '')]),
            ...overview.products.map((product) => product.productId),
          ].filter((text) => /^op\d+$/.test(text));
          for (const text of writers) {
            if (!eventsByActor.has(`op:${text.slice(2)}`)) violations.push(`${domainId}: ${text} is in the state but its call appended no event`);
          }

          // Every stored message has its event, and every message event its stored message.
          const messageEvents = new Set(
            events.filter((event) => ['message.received', 'message.sent', 'auto_reply.sent'].includes(event.type)).map((event) => String((event.data as { messageId?: unknown }).messageId)),
          );
          const storedIds = new Set(messages.map((message) => message.messageId));
          for (const id of storedIds) if (!messageEvents.has(id)) violations.push(`${domainId}: message ${id} stored without an event`);
          for (const id of messageEvents) if (!storedIds.has(id)) violations.push(`${domainId}: event of message ${id} but no message`);

          // The state is the replay of the log (R32): accounts, their agents and products, products, access.
          const replayed = replayEvents(events);
          const state = new Map(accounts.map((account) => [account.id, { uid: account.uid, productId: account.productId, agentIds: [...account.agentIds].sort() }]));
          const fromLog = new Map([...replayed.accounts].map(([id, account]) => [id, { ...account, agentIds: [...account.agentIds].sort() }]));
          try {
            expect(state).toEqual(fromLog);
          } catch {
            violations.push(`${domainId}: accounts differ from the replay of the event log`);
          }
          for (const product of overview.products) {
            const logged = replayed.products.get(product.productId);
            if (!logged || logged.seatLimit !== product.seatLimit || logged.quantity !== product.quantity) {
              violations.push(`${domainId}: product ${product.productId} differs from the replay`);
            }
          }
          if (overview.products.length !== replayed.products.size) violations.push(`${domainId}: product count differs from the replay`);
          for (const memberId of MEMBERS) {
            const access = await settle(() => cx.agents.access(domainId, memberId));
            if (JSON.stringify([...access.accountIds].sort()) !== JSON.stringify(replayed.access.get(memberId) ?? [])) {
              violations.push(`${domainId}: access of ${memberId} differs from the replay`);
            }
          }

          // (c) Seats, units, at least one agent, through the API.
          for (const account of accounts) {
            const product = overview.products.find((each) => each.productId === account.productId);
            if (!product) violations.push(`${domainId}/${account.id}: product missing`);
            else if (account.agentIds.length > product.seatLimit) violations.push(`${domainId}/${account.id}: over the seat limit`);
            if (account.agentIds.length < 1) violations.push(`${domainId}/${account.id}: no agent`);
          }
          for (const product of overview.products) if (product.inUse > product.quantity) violations.push(`${domainId}: ${product.productId} over its quantity`);
        }

        // (b) Every message whose outcome was unknown, sent again with its messageId: stored exactly once.
        // A resend refused by a rule (the agent left meanwhile) is possible only when the first
        // call was not kept (else the first answer, ok, comes back): then no copy at all.
        const resendCodes = new Map<number, string>();
        // Retried with the same messageId while the storage fails (a pool may still hold a dying connection): R47 makes that safe.
        const resendUntilAnswered = async (call: Call) => {
          let again = await call.resend!();
          for (let attempt = 1; attempt < 5 && again.isErr() && again.error.code === 'store_failure'; attempt++) again = await call.resend!();
          return again;
        };
        for (const call of unknownCalls.filter((each) => each.resend)) {
          const again = await resendUntilAnswered(call);
          resendCodes.set(call.n, again.isOk() ? 'ok' : again.error.code);
          if (again.isErr() && again.error.code === 'store_failure') violations.push(`${call.kind} #${call.n} resent: store_failure`);
        }
        // A rolled-back message left no receipt behind either (R47): sent again, it is stored once.
        const rolledBackResent = rolledBack.filter((call) => call.resend).slice(0, 100);
        for (const call of rolledBackResent) {
          const again = await resendUntilAnswered(call);
          resendCodes.set(call.n, again.isOk() ? 'ok' : again.error.code);
          if (again.isErr() && again.error.code === 'store_failure') violations.push(`${call.kind} #${call.n} resent: store_failure`);
        }
        for (const domainId of DOMAINS) {
          const messages = await allMessages(cx, domainId);
          for (const call of unknownCalls.concat(rolledBackResent).filter((each) => each.resend && each.domainId === domainId)) {
            const copies = messages.filter((message) => message.content === call.marker).length;
            const expected = resendCodes.get(call.n) === 'ok' ? 1 : 0;
            if (copies !== expected) violations.push(`${call.kind} #${call.n} (${call.outcome}, resent: ${resendCodes.get(call.n)}): ${copies} copies in the history`);
          }
          const { events, lastSeq } = await allEvents(cx, domainId);
          if (events.some((event, index) => event.seq !== index + 1) || lastSeq !== events.length) violations.push(`${domainId}: seq gap after the resends`);
        }

        // (c) The invariants, straight from the tables.
        const inspect = server.inspect(database.url);
        cleanups.push(() => inspect.destroy());
        const report = await checkStoreInvariants(inspect);
        violations.push(...report.violations);

        const count = (code: string) => calls.filter((call) => call.code === code).length;
        const otherCodes: Record<string, number> = {};
        for (const call of calls) if (call.code !== 'ok' && call.code !== 'store_failure') otherCodes[call.code] = (otherCodes[call.code] ?? 0) + 1;
        const byKind: Record<string, string> = {};
        for (const call of calls) {
          const tally = (byKind[call.kind] ??= '0/0/0/0');
          const [ok, back, unknown, other] = tally.split('/').map(Number) as [number, number, number, number];
          byKind[call.kind] =
            call.code === 'ok' ? `${ok + 1}/${back}/${unknown}/${other}`
            : call.outcome === 'rolled_back' ? `${ok}/${back + 1}/${unknown}/${other}`
            : call.outcome === 'unknown' ? `${ok}/${back}/${unknown + 1}/${other}`
            : `${ok}/${back}/${unknown}/${other + 1}`;
        }
        console.log(
          `[connection faults] ${server.name}: operations ${calls.length} (budget ${BUDGET_MS / 1000} s, at least ${MIN_OPERATIONS}), ok ${count('ok')}, rolled_back ${rolledBack.length}, ` +
            `unknown ${unknownCalls.length}, messages resent (unknown + up to 100 rolled_back) ${resendCodes.size}: ${JSON.stringify(Object.fromEntries([...new Set(resendCodes.values())].map((code) => [code, [...resendCodes.values()].filter((each) => each === code).length])))}, other codes ${JSON.stringify(otherCodes)}, ` +
            `connections killed ${kills}, load ${loadSeconds.toFixed(1)} s, violations ${violations.length}\n` +
            `  per kind ok/rolled_back/unknown/other: ${JSON.stringify(byKind)}\n` +
            `  store_failure messages: ${[...new Set(rolledBack.concat(unknownCalls).map((call) => `${call.outcome}: ${call.message?.slice(0, 100)}`))].slice(0, 8).join(' | ')}` +
            (violations.length > 0 ? `\n  violations:\n    ${violations.slice(0, 30).join('\n    ')}` : ''),
        );
        expect(calls.length).toBeGreaterThanOrEqual(MIN_OPERATIONS);
        expect(kills).toBeGreaterThan(0);
        expect(rolledBack.length).toBeGreaterThan(0);
        expect(count('internal')).toBe(0);
        expect(violations).toEqual([]);
      },
      // Waiting on a loaded machine is legitimate: the budget bounds the load, this only a hang.
      600_000,
    );
  }
});
