import { availability } from '../schedule/availability.js';
import { nextChange } from '../schedule/next-change.js';
import type { AbsenceReplyKind, AutoReplyKind, Channel } from '../ports/records.js';
import type { AccountSettings } from '../schedule/schedule-types.js';

/**
 * An automatic reply to send to a customer (R22, R23).
 *
 * @category Conversations
 */
export type AutoReply = { kind: AutoReplyKind; text: string };

/**
 * An away or holiday reply: one sent while the account is absent.
 *
 * @category Conversations
 */
export type AbsenceReply = { kind: AbsenceReplyKind; text: string };

/**
 * The last away or holiday reply a customer got.
 *
 * @category Conversations
 */
export type LastAutoReply = { kind: AbsenceReplyKind; at: Date } | null;

/**
 * Decides the reply to a customer's message at `at` (R23): the holiday message on a
 * holiday (the away message when the holiday message is empty), the away message outside
 * operating hours, nothing while open — and nothing when
 * the customer already got a reply of this kind within the same continuous stretch of that
 * state (no change of `availability` between the two instants). Empty messages mean none.
 *
 * Pure: the decision depends only on the settings, the instant and the last reply.
 *
 * @example
 * ```ts
 * decideAwayReply(settings, new Date('2026-12-01T23:00:00Z'), null);
 * // → { kind: 'away', text: settings.awayMessage } when closed then
 * ```
 *
 * @category Conversations
 */
export function decideAwayReply(settings: AccountSettings, at: Date, last: LastAutoReply): AbsenceReply | null {
  const state = availability(settings, at);
  if (state === 'open') return null;
  // On a holiday with no holiday message, the away message is sent instead (R23): it is for
  // any time outside operating hours. The kind stays `holiday`, so it is sent once per holiday stretch.
  const text = state === 'holiday' && settings.holidayMessage !== '' ? settings.holidayMessage : settings.awayMessage;
  if (text === '') return null;
  if (last && last.kind === state && sameStretch(settings, last.at, at)) return null;
  return { kind: state, text };
}

/** Whether `availability` stays the same from the earlier of two instants to the later. */
function sameStretch(settings: AccountSettings, a: Date, b: Date): boolean {
  const [earlier, later] = a.getTime() <= b.getTime() ? [a, b] : [b, a];
  const change = nextChange(settings, earlier);
  return change === null || change.at.getTime() > later.getTime();
}

/**
 * Decides the welcome reply when a customer adds an account (R22): once per customer and
 * account, ever; never for `mail`; never when the welcome message is empty.
 *
 * @category Conversations
 */
export function decideWelcomeReply(
  settings: AccountSettings,
  channel: Channel,
  alreadyWelcomed: boolean,
): AutoReply | null {
  if (alreadyWelcomed || channel === 'mail' || settings.welcomeMessage === '') return null;
  return { kind: 'welcome', text: settings.welcomeMessage };
}
