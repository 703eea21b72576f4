/**
 * R51: every validation issue the library words in English has its Korean and Japanese wording.
 * The messages are collected from the library itself — its schemas on hostile and near-miss
 * input, the operations on wrong input, the PNG check, the options of createCxAccounts — so a
 * new or reworded English message fails here until src/issue-texts.ts recognises it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { memoryStore } from '../../adapters/memory/memory-store.js';
import { accountNameSchema, descriptionSchema } from '../../src/accounts/account-fields.js';
import { contactUrlBaseProblem } from '../../src/accounts/contact-url.js';
import { checkImageInput, inspectPng } from '../../src/accounts/png-image.js';
import { createCxAccounts } from '../../src/cx-accounts.js';
import type { CxError, ValidationIssue } from '../../src/errors.js';
import { formatCxError } from '../../src/format-cx-error.js';
import { isRecognisedIssue, localIssueMessage } from '../../src/issue-texts.js';
import { holidayInputSchema } from '../../src/schedule/holidays.js';
import { timeZoneSchema } from '../../src/schedule/time-zone.js';
import { weeklyHoursPatchSchema } from '../../src/schedule/weekly-hours.js';
import { accountIdSchema, customerIdSchema, domainIdSchema, memberIdSchema, messageIdSchema, productIdSchema } from '../../src/validation/identifiers.js';
import { messageTimeSchema } from '../../src/validation/message-time.js';
import { parseInput } from '../../src/validation/parse-input.js';
import { nameField, proseField, textField } from '../../src/validation/text-fields.js';
import { makeFixture } from '../../testing/conformance-fixture.js';
import { seedAccount, seedProduct } from '../../testing/conformance/seed.js';
import { extremeDateMaker, hostileMaker, invisibleNameMaker } from '../../testing/conformance/hostile-values.js';

const schemas: Record<string, z.ZodType> = {
  account: z.strictObject({
    productId: productIdSchema,
    name: accountNameSchema,
    id: accountIdSchema,
    description: descriptionSchema.optional(),
    agentIds: z.array(memberIdSchema).min(1).max(50),
  }),
  message: z.strictObject({
    customerId: customerIdSchema,
    content: textField({ min: 1, max: 5000 }),
    channel: z.enum(['lineworks', 'line', 'mail']),
    at: messageTimeSchema.optional(),
    messageId: messageIdSchema.optional(),
  }),
  settings: z.strictObject({ weeklyHours: weeklyHoursPatchSchema.optional(), welcomeMessage: proseField(500).optional(), timeZone: timeZoneSchema.optional() }),
  holiday: holidayInputSchema,
  union: z.union([z.strictObject({ kind: z.literal('group') }), z.strictObject({ kind: z.literal('consultation'), customerId: customerIdSchema })]),
  count: z.number().int().min(1).max(100),
  domainId: domainIdSchema,
  name: nameField(20),
  at: messageTimeSchema,
};

/** Inputs that miss each rule by a little, where random values rarely land. */
const NEAR_MISSES: [string, unknown][] = [
  ['account', { productId: 'basic', name: '상담 창구'.repeat(6), id: 'Help-Desk', agentIds: [] }],
  ['account', { productId: 'basic', name: '', id: '-help', agentIds: ['u1'], nmae: 'x' }],
  ['account', { productId: '', name: 'help\u200bdesk', id: '', agentIds: 'u1' }],
  ['account', { productId: 'b\u0000', name: '\u3164', id: 'x'.repeat(21), agentIds: Array(51).fill('u') }],
  ['account', { productId: 'basic', name: 'a\u2028b', id: 'help', agentIds: ['u1'], description: 'price \u202e0001' }],
  ['account', { productId: 'basic', name: 'x'.repeat(5000), id: 'help', agentIds: ['\ud800'] }],
  ['message', { customerId: 'c1', content: '', channel: 'fax', at: new Date(Number.NaN) }],
  ['message', { customerId: 'c1', content: 'hi', channel: 'line', at: new Date(-1) }],
  ['message', { customerId: 'c1', content: 'hi', channel: 'line', at: 'yesterday' }],
  ['settings', { weeklyHours: { mon: [{ from: '9:00', to: '18:00' }] }, timeZone: 'Mars/Base' }],
  ['settings', { weeklyHours: { mon: [{ from: '24:00', to: '24:00' }, { from: '10:00', to: '09:00' }] }, timeZone: 7 }],
  ['settings', { weeklyHours: { mon: [{ from: '09:00', to: '12:00' }, { from: '11:00', to: '13:00' }] } }],
  ['settings', { weeklyHours: { mon: Array(11).fill({ from: '09:00', to: '10:00' }) } }],
  ['settings', { weeklyHours: { mon: 'all day', funday: [] } }],
  ['settings', { weeklyHours: [] }],
  ['settings', { weeklyHours: { mon: ['09:00'] } }],
  ['holiday', { start: '2026-02-30', end: '2026-01-01' }],
  ['holiday', { start: '2026-03-01', end: '2026-02-01' }],
  ['holiday', 'tomorrow'],
  ['union', { kind: 'consultation' }],
  ['union', 3],
  ['count', 1.5],
  ['count', 0],
  ['count', 101],
  ['count', '3'],
];

const collected = new Set<string>();
const collect = (issues: readonly ValidationIssue[]) => issues.forEach((issue) => collected.add(issue.message));
const collectError = (error: CxError) => {
  if (error.code === 'validation' || error.code === 'config_invalid') collect(error.issues);
};

describe('R51: Korean and Japanese for every validation issue', () => {
  it('recognises every issue message of the schemas, on near misses and hostile input', () => {
    for (const [name, input] of NEAR_MISSES) {
      const result = parseInput(schemas[name]!, input);
      expect(result.isErr(), name).toBe(true);
      if (result.isErr()) collectError(result.error);
    }
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(schemas)), fc.oneof(hostileMaker, invisibleNameMaker, extremeDateMaker), (name, make) => {
        const result = parseInput(schemas[name]!, make());
        if (result.isErr()) collectError(result.error);
      }),
      { numRuns: 1500 },
    );
    expectAllRecognised();
  });

  it('recognises the issues of the operations, the image input and the options', async () => {
    const { cx } = makeFixture(memoryStore());
    await seedProduct(cx);
    await seedAccount(cx);
    const answers = [
      await cx.accounts.create('acme', { productId: 'basic', name: 'x', id: 'help2', agentIds: ['u1', 'u1'] }),
      await cx.accounts.list('acme', { cursor: 'nonsense' }),
      await cx.accounts.update('acme', 'help', { image: { fileName: 'Logo.PNG', data: new Uint8Array([1, 2, 3]) } }),
      await cx.accounts.update('acme', 'help', { image: { fileName: '.png', data: 'bytes', extra: 1 } } as never),
      await cx.accounts.update('acme', 'help', { image: 'logo.png' } as never),
      await cx.accounts.qrCode('acme', 'help', { size: 10, format: 'gif' } as never),
      await cx.settings.update('acme', 'help', { holidays: 'none' } as never),
    ] as { isErr(): boolean; error?: CxError }[];
    for (const answer of answers) if (answer.isErr() && answer.error) collectError(answer.error);
    for (const bytes of [new Uint8Array(0), new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]), new Uint8Array([0x89, 0x50, 0x4e, 0x47]), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])]) {
      const inspected = inspectPng(bytes);
      if (!inspected.ok) collected.add(inspected.message);
    }
    for (const input of [null, {}, { fileName: 'a.png' }, { fileName: 'logo.png', data: new Uint8Array(0) }, { fileName: 'logo.jpg', data: [] }]) {
      const checked = checkImageInput(input);
      if (checked.isErr()) collectError(checked.error);
    }
    for (const base of [3, 'x'.repeat(300), 'https://a b/', 'talk/add', 'ftp://x.test/', 'https://u:p@x.test/', 'https://x.test/add']) {
      const problem = contactUrlBaseProblem(base);
      if (problem) collected.add(problem);
    }
    const refusing = createCxAccounts({ store: {}, directory: {}, contactUrlBase: 'x', clock: 1, timeZone: 'Mars/Base' } as never);
    const refused = await refusing.accounts.get('acme', 'help');
    if (refused.isErr()) collectError(refused.error);
    expect(collected.size).toBeGreaterThan(15);
    expectAllRecognised();
  });

  it('words the common issues in the language, with their figures', () => {
    expect(localIssueMessage('at most 20 characters, got 23', 'ko')).toBe('20자 이하여야 합니다(현재 23자).');
    expect(localIssueMessage('at most 20 characters, got 23', 'ja')).toBe('20文字以内にしてください（現在 23文字）。');
    expect(localIssueMessage('required', 'ko')).toBe('필수 항목입니다.');
    expect(localIssueMessage("unknown time zone 'Mars/Base'", 'ja')).toBe("不明なタイムゾーンです: 'Mars/Base'");
    expect(localIssueMessage('something new in a later version', 'ko')).toBe('값이 올바르지 않습니다.');
  });
});

function expectAllRecognised(): void {
  const missing = [...collected].filter((message) => !isRecognisedIssue(message));
  expect(missing).toEqual([]);
  // And every one reads in the language: no English sentence is left in it.
  const english = [...collected].flatMap((message) =>
    (['ko', 'ja'] as const)
      .map((locale) => formatCxError({ code: 'validation', message, issues: [{ path: '', message }] }, locale))
      .filter((text) => englishWords(text).length > 0),
  );
  expect(english).toEqual([]);
}

/** Technical words a Korean or Japanese text may hold: names of formats, APIs and values. */
const TECHNICAL = new Set(['png', 'url', 'https', 'http', 'iana', 'asia', 'seoul', 'date', 'store', 'memberdirectory', 'search', 'get', 'uint8array', 'mib', 'mon', 'sun', 'from', 'to', 'start', 'end', 'label', 'logo', 'talk', 'example', 'com', 'add', 'dev_console', 'null', 'undefined', 'bigint', 'fileName', 'filename', 'data', 'ready']);

/** Latin words of three letters or more outside quotes, U+ labels, times and dates. */
function englishWords(text: string): string[] {
  const stripped = text
    .replace(/"(?:[^"\\]|\\.)*"|'[^']*'/g, ' ')
    .replace(/U\+[0-9A-F]{4,6}/g, ' ')
    .replace(/\d{4}-\d{2}-\d{2}T[\d:.]+Z/g, ' ');
  return (stripped.match(/[A-Za-z_][A-Za-z_0-9]{2,}/g) ?? []).filter((word) => !TECHNICAL.has(word.toLowerCase()) && !/^(?:HH|mm|YYYY|MM|DD)$/.test(word));
}
