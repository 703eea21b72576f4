import { describe, expect, it } from 'vitest';
import type { CxError, NotFoundEntity } from '../../src/errors.js';
import { CX_ERROR_LOCALES, cxErrorLocale, formatCxError, type CxErrorLocale } from '../../src/format-cx-error.js';

/**
 * One sample per error code. `satisfies Record<CxError['code'], …>` makes a new code in the
 * union a compile error here until it gets a sample (and, through the tables typed by the code
 * unions in format-cx-error.ts, a text).
 */
const SAMPLES = {
  validation: {
    code: 'validation',
    message: 'name: at most 20 characters, got 23; id: only lowercase letters a-z and digits 0-9 are allowed, got "Help-Desk"',
    issues: [
      { path: 'name', message: 'at most 20 characters, got 23' },
      { path: 'id', message: 'only lowercase letters a-z and digits 0-9 are allowed, got "Help-Desk"' },
    ],
  },
  not_found: { code: 'not_found', message: 'account "help" not found', entity: 'account' },
  name_taken: { code: 'name_taken', message: 'account desk of this domain already has the name "Help desk"', accountId: 'desk' },
  id_taken: { code: 'id_taken', message: 'account ID "help" is already in use' },
  product_unavailable: { code: 'product_unavailable', message: 'product "basic" has no free unit: 2 of 2 in use', productId: 'basic', quantity: 2, inUse: 2 },
  seat_limit_exceeded: { code: 'seat_limit_exceeded', message: '3 agents do not fit product "basic": its seat limit is 2', productId: 'basic', seatLimit: 2, requested: 3 },
  quantity_below_usage: { code: 'quantity_below_usage', message: 'quantity 1 is below the 2 active accounts using "basic"', productId: 'basic', quantity: 1, inUse: 2 },
  last_agent: { code: 'last_agent', message: 'haruto is the last agent of sales; an account keeps at least one', accountIds: ['sales'] },
  already_agent: { code: 'already_agent', message: 'minji is already an agent of help' },
  holiday_in_past: { code: 'holiday_in_past', message: 'start 2020-01-01 is before today, 2026-11-25, in Asia/Seoul' },
  holiday_overlap: { code: 'holiday_overlap', message: '2026-12-24..2026-12-26 overlaps holiday 2026-12-25..2026-12-25' },
  version_conflict: { code: 'version_conflict', message: 'expected version 3, but the account is at version 4' },
  backup_not_ready: { code: 'backup_not_ready', message: 'backup job "j1" is running' },
  channel_disconnected: { code: 'channel_disconnected', message: 'the line channel of this account is disconnected' },
  store_failure: { code: 'store_failure', message: 'storage failed: connect ECONNREFUSED 127.0.0.1:5432', cause: new Error('ECONNREFUSED'), outcome: 'rolled_back' },
  directory_failure: { code: 'directory_failure', message: 'member directory failed: timeout', cause: new Error('timeout') },
  internal: { code: 'internal', message: 'internal error in cx-accounts: x is undefined', cause: new TypeError('x is undefined') },
  config_invalid: { code: 'config_invalid', message: 'invalid options: options.contactUrlBase: must end in /', issues: [{ path: 'options.contactUrlBase', message: 'must end in /' }] },
} satisfies { [Code in CxError['code']]: CxError & { code: Code } };

const CODES = Object.keys(SAMPLES) as CxError['code'][];
const ENTITIES = {
  account: true,
  product: true,
  member: true,
  agent: true,
  contact: true,
  holiday: true,
  room: true,
  backup: true,
  bot: true,
} satisfies Record<NotFoundEntity, true>;

const HANGUL = /[\uac00-\ud7a3]/u;
const KANA_OR_KANJI = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;
const LATIN_WORD = /[A-Za-z]{3,}/;

/** Whether a text is written in the locale's script (and not in another locale's). */
function isInScriptOf(locale: CxErrorLocale, text: string): boolean {
  switch (locale) {
    case 'ko':
      return HANGUL.test(text) && !/[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(text);
    case 'ja':
      return KANA_OR_KANJI.test(text) && !HANGUL.test(text);
    case 'en':
      return LATIN_WORD.test(text) && !HANGUL.test(text) && !KANA_OR_KANJI.test(text);
  }
}

describe('formatCxError', () => {
  it('has a sample for every error code (the list is checked by the compiler)', () => {
    expect(CODES).toHaveLength(18);
    expect(new Set(CODES).size).toBe(CODES.length);
  });

  describe.each(CODES)('%s', (code) => {
    it.each(CX_ERROR_LOCALES)('reads in %s', (locale) => {
      const text = formatCxError(SAMPLES[code], locale);
      expect(text.trim()).not.toBe('');
      expect(isInScriptOf(locale, text.replace(SAMPLES[code].message, ''))).toBe(true);
    });
  });

  it.each(CX_ERROR_LOCALES)('names every not-found entity differently in %s', (locale) => {
    const texts = Object.keys(ENTITIES).map((entity) =>
      formatCxError({ code: 'not_found', message: `${entity} "x" not found`, entity: entity as NotFoundEntity }, locale),
    );
    expect(new Set(texts).size).toBe(texts.length);
    for (const text of texts) expect(isInScriptOf(locale, text)).toBe(true);
  });

  it('lists each validation issue as "path: message", messages in English', () => {
    for (const locale of CX_ERROR_LOCALES) {
      const text = formatCxError(SAMPLES.validation, locale);
      expect(text).toContain('name: at most 20 characters, got 23');
      expect(text).toContain('id: only lowercase letters a-z and digits 0-9 are allowed, got "Help-Desk"');
    }
    expect(formatCxError(SAMPLES.validation, 'ko')).toMatch(/^입력값/);
    expect(formatCxError(SAMPLES.validation, 'ja')).toMatch(/^入力内容/);
  });

  it('shows an issue without a path as its message alone', () => {
    const text = formatCxError({ code: 'validation', message: 'body must be JSON', issues: [{ path: '', message: 'body must be JSON' }] });
    expect(text).toBe('Some of the input is not valid. body must be JSON');
  });

  it('appends the English detail message to rule errors, in every locale', () => {
    for (const locale of CX_ERROR_LOCALES) {
      const text = formatCxError(SAMPLES.seat_limit_exceeded, locale);
      expect(text.endsWith('3 agents do not fit product "basic": its seat limit is 2')).toBe(true);
    }
    expect(formatCxError(SAMPLES.seat_limit_exceeded, 'ko')).toContain('좌석 한도');
    expect(formatCxError(SAMPLES.seat_limit_exceeded, 'ja')).toContain('席数');
  });

  it('does not append a detail to not_found, and never shows the cause of a store failure', () => {
    expect(formatCxError(SAMPLES.not_found, 'en')).toBe('The consultation account was not found.');
    for (const locale of CX_ERROR_LOCALES) {
      expect(formatCxError(SAMPLES.store_failure, locale)).not.toContain('ECONNREFUSED');
    }
  });

  it('resolves region tags and falls back to English for other locales', () => {
    expect(cxErrorLocale('ko-KR')).toBe('ko');
    expect(cxErrorLocale('JA_jp')).toBe('ja');
    expect(cxErrorLocale('en-GB')).toBe('en');
    expect(cxErrorLocale('fr-FR')).toBe('en');
    expect(cxErrorLocale('')).toBe('en');
    expect(cxErrorLocale(undefined)).toBe('en');
    expect(formatCxError(SAMPLES.last_agent, 'ko-KR')).toBe(formatCxError(SAMPLES.last_agent, 'ko'));
    expect(formatCxError(SAMPLES.last_agent, 'de')).toBe(formatCxError(SAMPLES.last_agent, 'en'));
    expect(formatCxError(SAMPLES.last_agent)).toBe(formatCxError(SAMPLES.last_agent, 'en'));
  });

  it('never throws on values that are not CxErrors', () => {
    const odd = [
      { code: 'brand_new_code', message: 'a future error' },
      { code: 'not_found', message: 'thing "x" not found', entity: 'thing' },
      { code: 'validation', message: 'bad', issues: null },
      { code: 'validation', message: '', issues: [null, { path: 'a', message: 'b' }] },
      {},
      null,
      undefined,
    ] as unknown as CxError[];
    for (const error of odd) {
      for (const locale of CX_ERROR_LOCALES) expect(typeof formatCxError(error, locale)).toBe('string');
    }
    expect(formatCxError(odd[0]!, 'ja')).toBe('a future error');
  });
});
