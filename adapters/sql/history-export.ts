import type { Kysely } from 'kysely';
import type { HistoryExportRow } from '../../src/ports/records.js';
import type { AccountSettings } from '../../src/schedule/schedule-types.js';
import type { CxDatabase } from './cx-database.js';
import { toDate, toMillis } from './row-values.js';
import type { Exclusive } from './transaction-runner.js';

/** Accounts read per query while exporting. */
export const EXPORT_ACCOUNT_BATCH = 200;
/** History rows read per query while exporting. */
export const EXPORT_HISTORY_BATCH = 1000;

/**
 * Streams the history of every account of a domain, reset ones included, in backup order:
 * accounts by (activatedAt, key), then messages by (sentAt, insertion order).
 *
 * Reads in keyset batches — accounts on the index `(domain_id, activated_at, key)`, messages
 * on `(account_key, sent_at, seq)` — each batch its own short query with no connection held
 * in between, so memory stays flat and writers are not blocked however long the export runs.
 * Rows written while the export runs may or may not be included.
 */
export async function* exportHistoryRows(
  db: Kysely<CxDatabase>,
  exclusive: Exclusive,
  domainId: string,
  batches: { accounts?: number; history?: number } = {},
): AsyncGenerator<HistoryExportRow> {
  const accountBatch = batches.accounts ?? EXPORT_ACCOUNT_BATCH;
  const historyBatch = batches.history ?? EXPORT_HISTORY_BATCH;
  let afterAccount: { activatedAt: number; key: string } | null = null;
  for (;;) {
    const after = afterAccount;
    const accounts = await exclusive(() => {
      let query = db
        .selectFrom('cx_accounts')
        .select(['key', 'id', 'name', 'settings', 'activated_at'])
        .where('domain_id', '=', domainId);
      if (after) {
        query = query
          .where('activated_at', '>=', after.activatedAt)
          .where((eb) => eb.or([eb('activated_at', '>', after.activatedAt), eb('key', '>', after.key)]));
      }
      return query.orderBy('activated_at').orderBy('key').limit(accountBatch).execute();
    });
    if (accounts.length === 0) return;
    const keys = accounts.map((account) => account.key);
    const withHistory = new Set(
      (
        await exclusive(() =>
          db.selectFrom('cx_history').select('account_key').distinct().where('account_key', 'in', keys).execute(),
        )
      ).map((row) => row.account_key),
    );
    for (const account of accounts) {
      if (!withHistory.has(account.key)) continue;
      const timeZone = (JSON.parse(account.settings) as AccountSettings).timeZone;
      let afterMessage: { sentAt: number; seq: number } | null = null;
      for (;;) {
        const position = afterMessage;
        const rows = await exclusive(() => {
          let query = db
            .selectFrom('cx_history')
            .select(['seq', 'customer_name', 'sent_at', 'sender_name', 'content'])
            .where('account_key', '=', account.key);
          if (position) {
            query = query
              .where('sent_at', '>=', position.sentAt)
              .where((eb) => eb.or([eb('sent_at', '>', position.sentAt), eb('seq', '>', position.seq)]));
          }
          return query.orderBy('sent_at').orderBy('seq').limit(historyBatch).execute();
        });
        for (const row of rows) {
          yield {
            accountId: account.id,
            accountName: account.name,
            timeZone,
            customerName: row.customer_name,
            sentAt: toDate(row.sent_at),
            senderName: row.sender_name,
            content: row.content,
          };
        }
        const last = rows[rows.length - 1];
        if (!last || rows.length < historyBatch) break;
        afterMessage = { sentAt: toMillis(toDate(last.sent_at)), seq: Number(last.seq) };
      }
    }
    const lastAccount = accounts[accounts.length - 1]!;
    if (accounts.length < accountBatch) return;
    afterAccount = { activatedAt: toMillis(toDate(lastAccount.activated_at)), key: lastAccount.key };
  }
}
