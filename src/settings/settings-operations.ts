import { err, ok, type ResultAsync } from 'neverthrow';
import { z } from 'zod';
import { notFound, ruleError, type CxError } from '../errors.js';
import type { Account } from '../accounts/account-view.js';
import { changeAccount, type ChangeOptions } from '../accounts/change-account.js';
import type { OperationContext } from '../operation-context.js';
import { randomId } from '../random-id.js';
import { runOperation } from '../run-operation.js';
import { findOverlappingHoliday, holidayInputSchema, localDate } from '../schedule/holidays.js';
import { WEEKDAYS, type Holiday, type TimeRange, type Weekday } from '../schedule/schedule-types.js';
import { timeZoneSchema } from '../schedule/time-zone.js';
import { weeklyHoursPatchSchema } from '../schedule/weekly-hours.js';
import { parseInput } from '../validation/parse-input.js';
import { textField } from '../validation/text-fields.js';

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
};

/**
 * What `holidays.add` takes (R20).
 *
 * @category Settings
 */
export type HolidayInput = { start: string; end: string; label?: string };

const messageSchema = textField({ min: 0, max: 500 });

const settingsSchema = z.strictObject({
  timeZone: timeZoneSchema.optional(),
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
   */
  update(domainId: string, accountId: string, input: SettingsInput, options?: ChangeOptions): ResultAsync<Account, CxError>;
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
   */
  add(domainId: string, accountId: string, input: HolidayInput, options?: ChangeOptions): ResultAsync<Account, CxError>;
  /** Removes a holiday by id (`not_found`, entity `holiday`, for an unknown one). */
  remove(domainId: string, accountId: string, holidayId: string, options?: ChangeOptions): ResultAsync<Account, CxError>;
};

export function settingsOperations(context: OperationContext): SettingsOperations {
  return {
    update: (domainId, accountId, input, options) =>
      runOperation(async () => {
        const parsed = parseInput(settingsSchema, input);
        if (parsed.isErr()) return err(parsed.error);
        const fields = parsed.value;
        return changeAccount(context, domainId, accountId, options, (account) => {
          if (Object.values(fields).every((value) => value === undefined)) return ok(null);
          const settings = { ...account.settings, weeklyHours: { ...account.settings.weeklyHours } };
          if (fields.timeZone !== undefined) settings.timeZone = fields.timeZone;
          const patch: Partial<Record<Weekday, TimeRange[]>> = fields.weeklyHours ?? {};
          for (const day of WEEKDAYS) {
            const ranges = patch[day];
            if (ranges) settings.weeklyHours[day] = ranges;
          }
          if (fields.welcomeMessage !== undefined) settings.welcomeMessage = fields.welcomeMessage;
          if (fields.awayMessage !== undefined) settings.awayMessage = fields.awayMessage;
          if (fields.holidayMessage !== undefined) settings.holidayMessage = fields.holidayMessage;
          return ok({ ...account, settings });
        });
      }),
  };
}

export function holidayOperations(context: OperationContext): HolidayOperations {
  return {
    add: (domainId, accountId, input, options) =>
      runOperation(async () => {
        const parsed = parseInput(holidayInputSchema, input);
        if (parsed.isErr()) return err(parsed.error);
        const { start, end, label } = parsed.value;
        return changeAccount(context, domainId, accountId, options, (account) => {
          const today = localDate(account.settings.timeZone, context.clock());
          if (start < today) {
            return err(
              ruleError('holiday_in_past', `holiday starts ${start}, before today (${today} in ${account.settings.timeZone})`),
            );
          }
          const overlap = findOverlappingHoliday(account.settings.holidays, start, end);
          if (overlap) {
            return err(
              ruleError('holiday_overlap', `${start}..${end} overlaps the holiday ${overlap.start}..${overlap.end}`),
            );
          }
          const holiday: Holiday = label === undefined ? { id: randomId(), start, end } : { id: randomId(), start, end, label };
          const holidays = [...account.settings.holidays, holiday].sort((a, b) => (a.start < b.start ? -1 : 1));
          return ok({ ...account, settings: { ...account.settings, holidays } });
        });
      }),

    remove: (domainId, accountId, holidayId, options) =>
      runOperation(async () => {
        const id = parseInput(z.string().min(1).max(64), holidayId, 'holidayId');
        if (id.isErr()) return err(id.error);
        return changeAccount(context, domainId, accountId, options, (account) => {
          const holidays = account.settings.holidays.filter((holiday) => holiday.id !== id.value);
          if (holidays.length === account.settings.holidays.length) return err(notFound('holiday', id.value));
          return ok({ ...account, settings: { ...account.settings, holidays } });
        });
      }),
  };
}
