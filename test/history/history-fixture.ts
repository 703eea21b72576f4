import type { HistoryRow } from '../../src/ports/records.js';

export {
  BACKUP_MEMBERS as MEMBERS,
  backupNow,
  collect,
  eventually,
  expectedRecords,
  firstSix,
  gate,
  guarded,
  HEADER,
  historyFixture,
  hookedStore,
  mutableDirectory,
  parseBackup,
  parseJsonlBackup,
  type ExpectedRow,
  type HistoryFixture,
  type MutableDirectory,
} from '../../testing/backup-fixture.js';

/** A stored message with its account's ID and zone, for the pure encoder tests. */
export function historyRow(fields: Partial<HistoryRow> = {}): HistoryRow {
  return {
    messageId: 'm1',
    accountKey: 'uid-help',
    accountId: 'help',
    accountName: 'Help',
    timeZone: 'UTC',
    customerId: 'c1',
    customerName: 'Lee',
    channel: 'line',
    sentAt: new Date('2026-11-25T09:30:00.000Z'),
    senderKind: 'customer',
    senderId: 'c1',
    senderName: 'Lee',
    content: 'hello',
    eventSeq: 1,
    ...fields,
  };
}

export async function* rowsOf(rows: readonly HistoryRow[]): AsyncGenerator<HistoryRow> {
  for (const row of rows) yield row;
}
