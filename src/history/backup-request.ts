import * as z from 'zod';
import { BACKUP_FORMATS, type BackupFilter, type BackupFormat } from '../ports/records.js';
import { accountIdSchema } from '../validation/identifiers.js';
import { messageTimeSchema } from '../validation/message-time.js';

/**
 * What `history.startBackup` takes besides the domain (R45). Every field is optional: none
 * means every message of the domain, as CSV.
 *
 * @category History
 */
export type BackupRequest = {
  /** Only messages with `sentAt >= from`. */
  from?: Date;
  /** Only messages with `sentAt < to` (after `from`). */
  to?: Date;
  /** Only the accounts that ever had one of these IDs (reset ones included); 1–100 IDs. */
  accountIds?: readonly string[];
  /** `'csv'` (default, R26) or `'jsonl'` (one JSON object a line). */
  format?: BackupFormat;
};

/** At most this many account IDs in one backup filter. */
const MAX_FILTER_ACCOUNTS = 100;

/**
 * Checks `startBackup`'s options strictly (unknown fields refused, `from` before `to`, 1–100
 * account IDs) and answers the job's filter and format.
 *
 * @example
 * ```ts
 * const request = backupRequestSchema.safeParse({ accountIds: ['help'], format: 'jsonl' });
 * if (request.success) console.log(request.data.filter.accountIds, request.data.format);
 * ```
 */
export const backupRequestSchema = z
  .strictObject({
    from: messageTimeSchema.optional(),
    to: messageTimeSchema.optional(),
    accountIds: z.array(accountIdSchema).min(1).max(MAX_FILTER_ACCOUNTS).optional(),
    format: z.enum(BACKUP_FORMATS).optional(),
  })
  .refine((request) => !request.from || !request.to || request.from.getTime() < request.to.getTime(), {
    message: 'must be after from',
    path: ['to'],
  })
  .optional()
  .transform((request): { filter: BackupFilter; format: BackupFormat } => ({
    filter: {
      from: request?.from ?? null,
      to: request?.to ?? null,
      // IDs compare case-insensitively (R6): keep one of each.
      accountIds: request?.accountIds ? dedupeIds(request.accountIds) : null,
    },
    format: request?.format ?? 'csv',
  }));

function dedupeIds(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  return ids.filter((id) => {
    const key = id.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
