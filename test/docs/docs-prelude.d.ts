/**
 * What the TSDoc examples take as given: the host app's objects and helpers, and the Node
 * imports an example leaves out for brevity — declared with real types, so a block that misuses
 * our API still fails the check. README and guide blocks are also run (`docs-run.test.ts`),
 * with nothing of this: what they use, they show.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { AccountSettings, CreateAccountInput, CxAccounts, Member, MemberDirectory, ValidationIssue } from 'cx-accounts';
import type { Store } from 'cx-accounts/store';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { CompiledSchedule } from '../../src/schedule/compiled-schedule.js';

declare global {
  /** The app's `createCxAccounts(...)` result. */
  const cx: CxAccounts;
  /** The host app's member directory. */
  const myDirectory: MemberDirectory;
  const directory: MemberDirectory;
  const store: Store;
  const contactUrlBase: string;
  const connectionString: string;
  /** The host app's own database handles. */
  const db: Kysely<any>;
  const pool: pg.Pool;
  const database: BetterSqlite3.Database;
  /** Values a page of the API reference talks about. */
  const settings: AccountSettings;
  const schedule: CompiledSchedule;
  const local: number;
  const jobId: string;
  /** A webhook endpoint's id (`webhooks.add`'s answer). */
  const endpointId: string;
  const bytes: Uint8Array;
  const input: CreateAccountInput;
  const file: File & { write(chunk: Uint8Array): Promise<void> };
  /** The host app's chat transport, people API, job queue and screens. */
  const chat: { send(customerId: string, text: string): void };
  const myApi: {
    searchPeople(domainId: string, query: string, limit: number): Promise<Member[]>;
    peopleByIds(domainId: string, ids: readonly string[]): Promise<Member[]>;
  };
  const queue: { process(name: string, handler: (job: { domainId: string; jobId: string }) => unknown): void };
  function showError(message: string): void;
  function showToast(message: string): void;
  function showFieldErrors(issues: readonly ValidationIssue[]): void;
  function askForAnotherName(): void;
  /** Node imports an example leaves out. */
  const writeFile: typeof import('node:fs/promises').writeFile;
  const pipeline: typeof import('node:stream/promises').pipeline;
  const Readable: typeof import('node:stream').Readable;
  const createWriteStream: typeof import('node:fs').createWriteStream;
}
