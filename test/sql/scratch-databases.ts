/**
 * Scratch databases on the PostgreSQL and MariaDB servers of this machine and CI, for tests
 * and benchmarks: availability probes, and create/drop of a `cx_test_<random>` database.
 *
 * Servers: `CX_TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/test`) and
 * `CX_TEST_MYSQL_URL` (default `mysql://root@127.0.0.1:3306/test`).
 */
import { randomBytes } from 'node:crypto';

export const POSTGRES_URL = process.env.CX_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const MYSQL_URL = process.env.CX_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

/** Every `cx_` table, children first. */
export const CX_TABLES = [
  'cx_webhook_attempts',
  'cx_webhook_endpoints',
  'cx_receipts',
  'cx_events',
  'cx_backup_chunks',
  'cx_backup_jobs',
  'cx_history',
  'cx_bots',
  'cx_room_agents',
  'cx_rooms',
  'cx_contacts',
  'cx_account_images',
  'cx_account_agents',
  'cx_accounts',
  'cx_products',
  'cx_domains',
] as const;

/**
 * `lockTimeoutMs` for stress and fault tests, whose writers queue for one domain's lock by the
 * dozen: only a hang waits this long. With the default (5 s) a loaded machine (two test runs
 * side by side, load average 20) turned a long queue into `store_failure`, which these tests
 * count as a broken rule. The lock timeout itself is tested in `lock-timeout.test.ts`.
 */
export const STRESS_LOCK_TIMEOUT_MS = 120_000;

/** A fresh scratch database name. */
export function scratchDatabaseName(): string {
  return `cx_test_${randomBytes(6).toString('hex')}`;
}

/** The URL of another database on the same server. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Runs `task` on a plain connection to `url` and closes it. */
export async function withPgClient<T>(url: string, task: (client: import('pg').Client) => Promise<T>): Promise<T> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await task(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function withMysqlConnection<T>(url: string, task: (connection: import('mysql2/promise').Connection) => Promise<T>): Promise<T> {
  const mysql = await import('mysql2/promise');
  const connection = await mysql.createConnection({ uri: url, connectTimeout: 3000 });
  try {
    return await task(connection);
  } finally {
    await connection.end().catch(() => undefined);
  }
}

const describeError = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Whether the PostgreSQL server answers; a reason when it does not. */
export async function postgresAvailable(url = POSTGRES_URL): Promise<true | string> {
  try {
    await withPgClient(url, (client) => client.query('select 1'));
    return true;
  } catch (error) {
    return `PostgreSQL at ${new URL(url).host} is not reachable: ${describeError(error)}`;
  }
}

/** Whether the MariaDB/MySQL server answers; a reason when it does not. */
export async function mysqlAvailable(url = MYSQL_URL): Promise<true | string> {
  try {
    await withMysqlConnection(url, (connection) => connection.query('select 1'));
    return true;
  } catch (error) {
    return `MariaDB at ${new URL(url).host} is not reachable: ${describeError(error)}`;
  }
}

/** Creates a scratch PostgreSQL database and answers its URL. */
export async function createPostgresDatabase(url = POSTGRES_URL): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = scratchDatabaseName();
  await withPgClient(url, (client) => client.query(`create database ${name}`));
  return {
    url: withDatabase(url, name),
    drop: () => withPgClient(url, (client) => client.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}

/** Creates a scratch MariaDB/MySQL database and answers its URL. */
export async function createMysqlDatabase(url = MYSQL_URL): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = scratchDatabaseName();
  await withMysqlConnection(url, (connection) => connection.query(`create database ${name} character set utf8mb4`));
  return {
    url: withDatabase(url, name),
    drop: () => withMysqlConnection(url, (connection) => connection.query(`drop database if exists ${name}`)).then(() => undefined),
  };
}

