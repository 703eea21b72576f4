/**
 * Benchmark of history backups (R26, R45, R46) on SQLite: `npm run bench -- history`, or
 * `npx tsx test/bench/history.bench.ts [--sizes 20000,100000]`.
 *
 * For each size (default 100,000 and 1,000,000 messages over 100 accounts) it seeds a SQLite
 * file through the store port, then measures, each in a fresh child process so that peak RSS
 * belongs to that run alone:
 * - `job`:      a whole backup job (`history.runBackup`, CSV): the watermark and count, the
 *               keyset pages of `readHistory`, CSV encoding, progress, and storing the file's
 *               chunks back into SQLite;
 * - `filtered`: the same job narrowed to one account of 100 (`accountIds`, ~1 % of the rows);
 * - `baseline`: the same rows read with better-sqlite3 (`iterate()`, one query in file order),
 *               quoted and joined into CSV lines by hand, encoded to UTF-8 and counted. It
 *               uses the library's `sent_at` formatting, so both produce the same bytes.
 * Each measure runs three times, interleaved, and the fastest run counts (the machine may be busy).
 * Before it is timed, each process warms up untimed: the jobs with a one-account job of another
 * account, the baseline with its first 1,000 rows (a host runs backups in a warm process).
 *
 * Goals (issues 5 and 11): `job` ≥ 50 % of the baseline's rows/s; `filtered` ≤ 5 % of the time
 * of `job` (the filter must use an index, not a scan); the 1M-row peak RSS of `job` ≤ 1.2× its
 * 100k-row peak.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ok } from 'neverthrow';
import { memoryDirectory } from '../../adapters/memory/memory-directory.js';
import { openSqlite } from '../../adapters/sql/index.js';
import { createCxAccounts } from '../../src/cx-accounts.js';
import { HISTORY_FILE_COLUMNS } from '../../src/history/history-columns.js';
import { UTF8_BOM } from '../../src/history/history-csv.js';
import { formatSentAt } from '../../src/history/sent-at.js';
import type { BackupRequest } from '../../src/history/backup-request.js';
import type { HistoryRecord } from '../../src/ports/records.js';

const DOMAIN = 'bench';
const ACCOUNTS = 100;
/** The account of the 1 % filter. */
const FILTER_ACCOUNT = 'account7';
/** The account of the untimed job that warms each measuring process up. */
const WARM_UP_ACCOUNT = 'account8';
const ZONES = ['Asia/Seoul', 'America/New_York', 'UTC', 'Asia/Tokyo'];
const SEED_BATCH = 10_000;
const scriptPath = fileURLToPath(import.meta.url);

type Measure = 'job' | 'filtered' | 'baseline';
type Measurement = { measure: Measure; rows: number; bytes: number; seconds: number; rssBeforeMiB: number; peakRssMiB: number };

const CX_OPTIONS = {
  directory: memoryDirectory([{ domainId: DOMAIN, id: 'agent', name: 'Bench Agent', email: 'agent@bench.test' }]),
  contactUrlBase: 'https://talk.example.com/add/',
};

/** A small deterministic random generator (mulberry32), so every run seeds the same history. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CONTENTS = [
  '안녕하세요 주문한 상품이 아직 도착하지 않았어요',
  '배송 조회 부탁드립니다',
  'Hello, I would like to change my delivery address.',
  'Thanks! That solved it',
  '네 확인했습니다. 잠시만 기다려 주세요',
  '注文番号を教えていただけますか',
  'The invoice says "paid" but my card was charged twice',
  '첫째 줄\n둘째 줄\n셋째 줄',
  '=HYPERLINK("http://example.test","open")',
  '-5% 할인 쿠폰이 적용되지 않아요',
  'ok',
  '오늘 오후 3시까지 답변 드리겠습니다, 감사합니다',
];
const CUSTOMERS = ['김민지', '이서준', 'Park, Jiwoo', 'Tanaka Yuki', 'Lee "Danny" Kim', '최유나'];

/** Creates a SQLite file with `rows` messages over {@link ACCOUNTS} accounts, through the store port. */
async function seed(file: string, rows: number): Promise<void> {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  const store = await openSqlite(file);
  const cx = createCxAccounts({ store, ...CX_OPTIONS });
  (await cx.products.set(DOMAIN, { productId: 'basic', name: 'Basic', seatLimit: 5, quantity: ACCOUNTS }))._unsafeUnwrap();
  const keys: string[] = [];
  const names: string[] = [];
  for (let index = 0; index < ACCOUNTS; index++) {
    const id = `account${index}`;
    const name = index % 3 === 0 ? `상담센터 ${index}` : `Support, team ${index}`;
    (await cx.accounts.create(DOMAIN, { productId: 'basic', id, name, agentIds: ['agent'], image: null }))._unsafeUnwrap();
    (await cx.settings.update(DOMAIN, id, { timeZone: ZONES[index % ZONES.length]! }))._unsafeUnwrap();
    const key = (await store.transaction(DOMAIN, 'read', async (tx) => ok((await tx.findAccount(id))!.key)))._unsafeUnwrap();
    keys.push(key);
    names.push(name);
  }
  // Messages carry the seq of an event that recorded them; these are older than any backup.
  const eventSeq = (await cx.events.read(DOMAIN))._unsafeUnwrap().lastSeq;
  const next = random(42);
  const start = Date.UTC(2025, 0, 1);
  for (let done = 0; done < rows; done += SEED_BATCH) {
    const batch: HistoryRecord[] = [];
    for (let index = done; index < Math.min(rows, done + SEED_BATCH); index++) {
      const account = Math.floor(next() * ACCOUNTS);
      const customer = CUSTOMERS[Math.floor(next() * CUSTOMERS.length)]!;
      const fromAgent = next() < 0.45;
      const content = `${CONTENTS[Math.floor(next() * CONTENTS.length)]!}${next() < 0.5 ? ` #${index}` : ''}`;
      batch.push({
        messageId: randomUUID(),
        accountKey: keys[account]!,
        accountName: names[account]!,
        customerId: customer,
        customerName: customer,
        channel: 'line',
        sentAt: new Date(start + index * 30_000),
        senderKind: fromAgent ? 'agent' : 'customer',
        senderId: fromAgent ? 'agent' : customer,
        senderName: fromAgent ? 'Bench Agent' : customer,
        content,
        eventSeq,
      });
    }
    const written = await store.transaction(DOMAIN, 'write', async (tx) => {
      for (const entry of batch) await tx.appendHistory(entry);
      return ok(undefined);
    });
    written._unsafeUnwrap();
  }
  await store.close();
}

const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const peakRssMiB = () => mib(process.resourceUsage().maxRSS * 1024);

/** One measure in this process; prints a JSON line. */
async function measure(kind: Measure, file: string): Promise<Measurement> {
  if (kind === 'baseline') return measureBaseline(file);
  const store = await openSqlite(file);
  const cx = createCxAccounts({ store, ...CX_OPTIONS, backups: { runner: 'manual' } });
  const request: BackupRequest = kind === 'filtered' ? { accountIds: [FILTER_ACCOUNT] } : {};
  // Not timed: a one-account job of another account first, so that the JIT, the prepared
  // statements and the time zone's formatter are warm, as in a host that has run for a while
  // (cold, the first 1 % job took ~40 ms of which ~8 ms was its own work).
  const warm = (await cx.history.startBackup(DOMAIN, { accountIds: [WARM_UP_ACCOUNT] }))._unsafeUnwrap();
  (await cx.history.runBackup(DOMAIN, warm.id))._unsafeUnwrap();
  const rssBeforeMiB = mib(process.memoryUsage().rss);
  const started = performance.now();
  const job = (await cx.history.startBackup(DOMAIN, request))._unsafeUnwrap();
  const finished = (await cx.history.runBackup(DOMAIN, job.id))._unsafeUnwrap();
  const seconds = (performance.now() - started) / 1000;
  if (finished.status !== 'ready') throw new Error(`backup ${finished.status}: ${finished.failureReason}`);
  if (finished.rowsDone !== finished.rowsTotal) throw new Error(`rowsDone ${finished.rowsDone} ≠ rowsTotal ${finished.rowsTotal}`);
  await store.close();
  return { measure: kind, rows: finished.rowsDone, bytes: finished.byteLength ?? 0, seconds, rssBeforeMiB, peakRssMiB: peakRssMiB() };
}

/** The columns the baseline reads, by name: it fails loudly when the schema calls them otherwise. */
const BASELINE_COLUMNS = ['message_id', 'account_key', 'account_name', 'customer_id', 'customer_name', 'channel', 'sent_at', 'sender_kind', 'sender_name', 'content'];

/** The hand-written baseline: one better-sqlite3 query in file order, hand quoting, lines joined per ~64 KiB. */
async function measureBaseline(file: string): Promise<Measurement> {
  const { default: Database } = await import('better-sqlite3');
  const database = new Database(file, { readonly: true });
  const columns = (database.prepare('SELECT * FROM cx_history LIMIT 0').columns() as { name: string }[]).map((column) => column.name);
  const missing = BASELINE_COLUMNS.filter((name) => !columns.includes(name));
  if (missing.length > 0) throw new Error(`baseline: cx_history has no column(s) ${missing.join(', ')} (it has ${columns.join(', ')}); adjust BASELINE_COLUMNS`);
  /** Reads the domain's messages into CSV bytes, at most `limit` rows. */
  const csv = (limit: number) => {
    const accounts = new Map(
      (database.prepare('SELECT key, id, settings FROM cx_accounts WHERE domain_id = ?').all(DOMAIN) as { key: string; id: string; settings: string }[]).map(
        (account) => [account.key, { id: account.id, zone: (JSON.parse(account.settings) as { timeZone: string }).timeZone }],
      ),
    );
    // Raw mode (rows as arrays): the fastest way better-sqlite3 iterates. Every message of the domain, oldest first.
    // Straight off a (domain_id, sent_at, message_id) index when the table has a domain column.
    const selected = 'h.account_key, h.account_name, h.customer_name, h.sent_at, h.sender_name, h.content, h.customer_id, h.channel, h.sender_kind';
    const messages = database
      .prepare(
        columns.includes('domain_id')
          ? `SELECT ${selected} FROM cx_history h WHERE h.domain_id = ? ORDER BY h.sent_at, h.message_id`
          : `SELECT ${selected} FROM cx_history h JOIN cx_accounts a ON a.key = h.account_key WHERE a.domain_id = ? ORDER BY h.sent_at, h.message_id`,
      )
      .raw(true);
    const cell = (value: string) => {
      const guarded = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(value) ? `'${value}` : value;
      return /[",\r\n]/.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
    };
    const encoder = new TextEncoder();
    let lines: string[] = [`${UTF8_BOM}${HISTORY_FILE_COLUMNS.join(',')}\r\n`];
    let pending = 0;
    let rows = 0;
    let bytes = 0;
    type Row = [string, string, string, number, string, string, string, string, string];
    for (const [key, accountName, customerName, sentAt, senderName, content, customerId, channel, senderKind] of messages.iterate(DOMAIN) as Iterable<Row>) {
      if (rows >= limit) break;
      const account = accounts.get(key)!;
      const line = `${cell(account.id)},${cell(accountName)},${cell(customerName)},${formatSentAt(new Date(Number(sentAt)), account.zone)},${cell(senderName)},${cell(content)},${cell(key)},${cell(customerId)},${channel},${senderKind}\r\n`;
      lines.push(line);
      pending += line.length;
      rows += 1;
      if (pending >= 64 * 1024) {
        bytes += encoder.encode(lines.join('')).byteLength;
        lines = [];
        pending = 0;
      }
    }
    bytes += encoder.encode(lines.join('')).byteLength;
    return { rows, bytes };
  };
  // Not timed: 1,000 rows first, as the measured jobs run after an untimed one.
  csv(1000);
  const rssBeforeMiB = mib(process.memoryUsage().rss);
  const started = performance.now();
  const { rows, bytes } = csv(Number.POSITIVE_INFINITY);
  const seconds = (performance.now() - started) / 1000;
  database.close();
  return { measure: 'baseline', rows, bytes, seconds, rssBeforeMiB, peakRssMiB: peakRssMiB() };
}

/** Runs this script again in a child process (same loader flags as this one) and answers its JSON line. */
function child(args: string[]): unknown {
  const result = spawnSync(process.execPath, [...process.execArgv, scriptPath, ...args], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`child ${args.join(' ')} failed:\n${result.stderr}`);
  const last = result.stdout.trim().split('\n').pop()!;
  return JSON.parse(last);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--seed') {
    await seed(args[1]!, Number(args[2]));
    console.log(JSON.stringify({ seeded: Number(args[2]) }));
    return;
  }
  if (args[0] === '--measure') {
    console.log(JSON.stringify(await measure(args[1] as Measure, args[2]!)));
    return;
  }
  const sizesFlag = args.indexOf('--sizes');
  const sizes = sizesFlag >= 0 ? args[sizesFlag + 1]!.split(',').map(Number) : [100_000, 1_000_000];
  const results: { size: number; best: Record<Measure, Measurement>; peakJobRss: number }[] = [];
  for (const size of sizes) {
    const file = join(tmpdir(), `cx-history-bench-${size}.sqlite`);
    const seedStarted = performance.now();
    child(['--seed', file, String(size)]);
    console.log(`seeded ${size.toLocaleString('en')} messages over ${ACCOUNTS} accounts in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);
    const best = {} as Record<Measure, Measurement>;
    let peakJobRss = 0;
    for (let round = 0; round < 3; round++) {
      for (const kind of ['baseline', 'job', 'filtered'] as const) {
        const run = child(['--measure', kind, file]) as Measurement;
        if (kind === 'job') peakJobRss = Math.max(peakJobRss, run.peakRssMiB);
        if (!best[kind] || run.seconds < best[kind].seconds) best[kind] = run;
      }
    }
    if (best.job.bytes !== best.baseline.bytes || best.job.rows !== size) {
      throw new Error(`outputs differ: job ${best.job.rows} rows ${best.job.bytes} B, baseline ${best.baseline.rows} rows ${best.baseline.bytes} B`);
    }
    results.push({ size, best, peakJobRss });
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  }

  console.log('\nsize        measure    rows       rows/s     vs baseline  seconds  file MiB  RSS before  peak RSS  growth (MiB)');
  for (const { size, best } of results) {
    const baseline = best.baseline.rows / best.baseline.seconds;
    for (const kind of ['baseline', 'job', 'filtered'] as const) {
      const run = best[kind];
      const rate = run.rows / run.seconds;
      console.log(
        `${size.toLocaleString('en').padEnd(11)} ${kind.padEnd(10)} ${run.rows.toLocaleString('en').padStart(9)}  ${Math.round(rate).toLocaleString('en').padStart(9)}  ${`${Math.round((rate / baseline) * 100)} %`.padStart(11)}  ${run.seconds.toFixed(2).padStart(7)}  ${mib(run.bytes).toFixed(1).padStart(8)}  ${run.rssBeforeMiB.toFixed(1).padStart(10)}  ${run.peakRssMiB.toFixed(1).padStart(8)}  ${(run.peakRssMiB - run.rssBeforeMiB).toFixed(1).padStart(6)}`,
      );
    }
  }
  console.log();
  for (const { size, best } of results) {
    const share = best.baseline.seconds / best.job.seconds;
    const filteredShare = best.filtered.seconds / best.job.seconds;
    console.log(`${size.toLocaleString('en')} rows: backup job at ${Math.round(share * 100)} % of the baseline's speed (goal ≥ 50 %)`);
    console.log(
      `${size.toLocaleString('en')} rows: one account of ${ACCOUNTS} (${best.filtered.rows.toLocaleString('en')} rows) takes ${(filteredShare * 100).toFixed(1)} % of the full job's time (goal ≤ 5 %)`,
    );
  }
  if (results.length >= 2) {
    const small = results[0]!;
    const large = results[results.length - 1]!;
    const ratio = large.peakJobRss / small.peakJobRss;
    console.log(
      `peak RSS of a backup job: ${small.peakJobRss} MiB at ${small.size.toLocaleString('en')} rows, ${large.peakJobRss} MiB at ${large.size.toLocaleString('en')} rows (×${ratio.toFixed(2)}; goal ≤ ×1.2)`,
    );
  }
}

await main();
