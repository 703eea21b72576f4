import { err, ok, type Result, type ResultAsync } from 'neverthrow';
import { narrowed, type OperationError } from '../operation-errors.js';
import * as z from 'zod';
import { invalid, notFound, ruleError, type CxError } from '../errors.js';
import { newEvent } from '../events/new-event.js';
import { holidayIdSchema } from '../validation/identifiers.js';
import type { Account } from '../accounts/account-view.js';
import { changeAccount, type ChangeOptions } from '../accounts/change-account.js';
import type { OperationContext } from '../operation-context.js';
import { randomId } from '../random-id.js';
import { runOperation } from '../run-operation.js';
import { civilDateSchema, findOverlappingHoliday, holidayInputSchema, localDate } from '../schedule/holidays.js';
import { WEEKDAYS, type AccountSettings, type Holiday, type TimeRange, type Weekday } from '../schedule/schedule-types.js';
import { timeZoneSchema } from '../schedule/time-zone.js';
import { weeklyHoursPatchSchema } from '../schedule/weekly-hours.js';
import { parseInput } from '../validation/parse-input.js';
import { proseField } from '../validation/text-fields.js';

/**
 * What `settings.update` takes (R18, R19); omitted fields keep their value.
 *
 * @category Settings
 */
export type SettingsInput = {
  timeZone?: string;
  /** Only the days named change; the others keep their ranges. */
  weeklyHours?: Partial<Record<Weekday, TimeRange[]>>;
  welcomeMessage?: string;
  awayMessage?: string;
  holidayMessage?: string;
  /** Connect or disconnect external channels (R43). */
  channels?: { line?: boolean; mail?: boolean };
  /**
   * The whole holiday list, saved in the same step (R44): an entry with an existing `id` keeps
   * that holiday (unchanged), an entry without `id` is new (R20), holidays left out are removed.
   */
  holidays?: { id?: string; start: string; end: string; label?: string }[];
};

/**
 * What `holidays.add` takes (R20).
 *
 * @category Settings
 */
export type HolidayInput = { start: string; end: string; label?: string };

const messageSchema = proseField(500);

type HolidayListEntry = { id?: string | undefined; start: string; end: string; label?: string | undefined };

const holidayListSchema = z.array(
  z.union([holidayInputSchema, z.strictObject({ id: holidayIdSchema, start: civilDateSchema, end: civilDateSchema, label: z.string().optional() })]),
  { error: 'must be the whole list of holidays' },
).max(1000, 'at most 1000 holidays');

const settingsSchema = z.strictObject({
  timeZone: timeZoneSchema.optional(),
  channels: z.strictObject({ line: z.boolean().optional(), mail: z.boolean().optional() }).optional(),
  holidays: holidayListSchema.optional(),
  weeklyHours: weeklyHoursPatchSchema.optional(),
  welcomeMessage: messageSchema.optional(),
  awayMessage: messageSchema.optional(),
  holidayMessage: messageSchema.optional(),
});

/**
 * The `settings` operations.
 *
 * @category Settings
 */
export type SettingsOperations = {
  /**
   * Changes operating hours, time zone and messages (R18, R19). Only the fields (and days)
   * given change; each successful call raises `version` by 1.
   *
   * @example
   * ```ts
   * await cx.settings.update('acme', 'help', {
   *   timeZone: 'Asia/Seoul',
   *   weeklyHours: { sat: [{ from: '10:00', to: '14:00' }] },
   *   awayMessage: 'We are closed now; we will answer tomorrow morning.',
   * });
   * ```
   *
   * @errors
   * - `validation`: a setting is malformed: a time zone that is not IANA, hours that overlap or are
   *   not `HH:mm`, a message too long, …; `issues` name each one.
   * - `not_found`: no such account, or a holiday of the list names an ID the account does not have
   *   (`entity` says which).
   * - `version_conflict`: `options.expectedVersion` was given and the account is at another
   *   version: someone changed it first. Read it again and retry.
   * - `holiday_in_past`: a new holiday starts before today in the account's time zone.
   * - `holiday_overlap`: two holidays of the list overlap.
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  update(domainId: string, accountId: string, input: SettingsInput, options?: ChangeOptions): ResultAsync<Account, OperationError<'settings.update'>>;
};

/**
 * The `holidays` operations.
 *
 * @category Settings
 */
export type HolidayOperations = {
  /**
   * Adds a holiday of whole local days (R20). `start` must be today or later in the account's
   * time zone (`holiday_in_past`); it may not overlap another (`holiday_overlap`).
   *
   * @example
   * ```ts
   * const account = await cx.holidays.add('acme', 'help', { start: '2026-12-24', end: '2026-12-26', label: 'Christmas' });
   * ```
   *
   * @errors
   * - `validation`: the holiday is malformed (dates not `YYYY-MM-DD`, `end` before `start`).
   * - `not_found`: no active account with this ID in the domain (`entity: "account"`); a reset
   *   account is gone for good.
   * - `version_conflict`: `options.expectedVersion` was given and the account is at another
   *   version: someone changed it first. Read it again and retry.
   * - `holiday_in_past`: it starts before today in the account's time zone.
   * - `holiday_overlap`: it overlaps a holiday the account has.
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  add(domainId: string, accountId: string, input: HolidayInput, options?: ChangeOptions): ResultAsync<Account, OperationError<'holidays.add'>>;
  /**
   * Removes a holiday by id (`not_found`, entity `holiday`, for an unknown one).
   *
   * @errors
   * - `validation`: `domainId`, `accountId` or another argument is malformed; `issues` name each
   *   one.
   * - `not_found`: no such account, or it has no holiday with this ID (`entity` says which).
   * - `version_conflict`: `options.expectedVersion` was given and the account is at another
   *   version: someone changed it first. Read it again and retry.
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  remove(domainId: string, accountId: string, holidayId: string, options?: ChangeOptions): ResultAsync<Account, OperationError<'holidays.remove'>>;
};

export function settingsOperations(context: OperationContext): SettingsOperations {
  return narrowed<SettingsOperations>({
    update: (domainId, accountId, input, options) =>
      runOperation(async (take) => {
        const fields = take(parseInput(settingsSchema, input));
        return await changeAccount(context, domainId, accountId, options, (account, _tx, take) => {
          const changed = (Object.keys(fields) as (keyof typeof fields)[]).filter((key) => fields[key] !== undefined);
          if (changed.length === 0) return ok(null);
          const settings: AccountSettings = { ...account.settings, weeklyHours: { ...account.settings.weeklyHours } };
          if (fields.timeZone !== undefined) settings.timeZone = fields.timeZone;
          const patch: Partial<Record<Weekday, TimeRange[]>> = fields.weeklyHours ?? {};
          for (const day of WEEKDAYS) {
            const ranges = patch[day];
            if (ranges) settings.weeklyHours[day] = ranges;
          }
          if (fields.welcomeMessage !== undefined) settings.welcomeMessage = fields.welcomeMessage;
          if (fields.awayMessage !== undefined) settings.awayMessage = fields.awayMessage;
          if (fields.holidayMessage !== undefined) settings.holidayMessage = fields.holidayMessage;
          if (fields.channels !== undefined) settings.channels = { ...settings.channels, ...fields.channels };
          const events = [newEvent(context, 'settings.updated', account, { fields: changed })];
          if (fields.holidays !== undefined) {
            const today = localDate(settings.timeZone, context.clock());
            const next = take(replaceHolidays(account.settings.holidays, fields.holidays, today, settings.timeZone));
            settings.holidays = next;
            const kept = new Set(next.map((holiday) => holiday.id));
            const before = new Set(account.settings.holidays.map((holiday) => holiday.id));
            for (const holiday of account.settings.holidays) {
              if (!kept.has(holiday.id)) events.push(newEvent(context, 'holiday.removed', account, { holidayId: holiday.id }));
            }
            for (const holiday of next) {
              if (!before.has(holiday.id)) {
                events.push(newEvent(context, 'holiday.added', account, { holidayId: holiday.id, start: holiday.start, end: holiday.end }));
              }
            }
          }
          return ok({ patch: { settings }, events });
        });
      }),
  });
}

/**
 * The holiday list of a one-Save update (R44): entries with the `id` of a holiday keep it
 * (unchanged), entries without one are new and follow R20, holidays left out go. Sorted by start.
 */
function replaceHolidays(
  current: readonly Holiday[],
  entries: readonly HolidayListEntry[],
  today: string,
  timeZone: string,
): Result<Holiday[], CxError> {
  const byId = new Map(current.map((holiday) => [holiday.id, holiday]));
  const next: Holiday[] = [];
  const seen = new Set<string>();
  for (const [index, entry] of entries.entries()) {
    if (entry.id !== undefined) {
      const existing = byId.get(entry.id);
      if (!existing) return err(notFound('holiday', entry.id));
      if (seen.has(entry.id)) return err(invalid(`holidays.${index}.id`, 'lists a holiday twice'));
      if (existing.start !== entry.start || existing.end !== entry.end || existing.label !== entry.label) {
        return err(invalid(`holidays.${index}`, 'an existing holiday cannot be changed: remove it and add a new one'));
      }
      seen.add(entry.id);
      next.push(existing);
      continue;
    }
    if (entry.start < today) {
      return err(ruleError('holiday_in_past', `holiday starts ${entry.start}, before today (${today} in ${timeZone})`));
    }
    const overlap = findOverlappingHoliday(next, entry.start, entry.end);
    if (overlap) return err(ruleError('holiday_overlap', `${entry.start}..${entry.end} overlaps the holiday ${overlap.start}..${overlap.end}`));
    next.push(newHoliday(entry));
  }
  next.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  for (let index = 1; index < next.length; index++) {
    const previous = next[index - 1]!;
    const holiday = next[index]!;
    if (holiday.start <= previous.end) {
      return err(ruleError('holiday_overlap', `${holiday.start}..${holiday.end} overlaps the holiday ${previous.start}..${previous.end}`));
    }
  }
  return ok(next);
}

function newHoliday({ start, end, label }: { start: string; end: string; label?: string | undefined }): Holiday {
  return label === undefined ? { id: randomId(), start, end } : { id: randomId(), start, end, label };
}

export function holidayOperations(context: OperationContext): HolidayOperations {
  return narrowed<HolidayOperations>({
    add: (domainId, accountId, input, options) =>
      runOperation(async (take) => {
        const entry = take(parseInput(holidayInputSchema, input));
        return await changeAccount(context, domainId, accountId, options, (account) => {
          const { start, end } = entry;
          const today = localDate(account.settings.timeZone, context.clock());
          if (start < today) {
            return err(ruleError('holiday_in_past', `holiday starts ${start}, before today (${today} in ${account.settings.timeZone})`));
          }
          const overlap = findOverlappingHoliday(account.settings.holidays, start, end);
          if (overlap) return err(ruleError('holiday_overlap', `${start}..${end} overlaps the holiday ${overlap.start}..${overlap.end}`));
          const holiday = newHoliday(entry);
          const holidays = [...account.settings.holidays, holiday].sort((a, b) => (a.start < b.start ? -1 : 1));
          return ok({
            patch: { settings: { ...account.settings, holidays } },
            events: [newEvent(context, 'holiday.added', account, { holidayId: holiday.id, start, end })],
          });
        });
      }),

    remove: (domainId, accountId, holidayId, options) =>
      runOperation(async (take) => {
        const id = take(parseInput(holidayIdSchema, holidayId, 'holidayId'));
        return await changeAccount(context, domainId, accountId, options, (account) => {
          const holidays = account.settings.holidays.filter((holiday) => holiday.id !== id);
          if (holidays.length === account.settings.holidays.length) return err(notFound('holiday', id));
          return ok({
            patch: { settings: { ...account.settings, holidays } },
            events: [newEvent(context, 'holiday.removed', account, { holidayId: id })],
          });
        });
      }),
  });
}
