import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeAccountCursor, encodeAccountCursor } from '../../src/accounts/account-cursor.js';
import { accountNameKey, accountNameSchema, descriptionSchema } from '../../src/accounts/account-fields.js';
import { newContactToken } from '../../src/accounts/contact-url.js';
import { graphemeLength } from '../../src/validation/graphemes.js';

describe('account fields', () => {
  it('R5: counts grapheme clusters', () => {
    expect(graphemeLength('상담')).toBe(2);
    expect(graphemeLength('👍🏽')).toBe(1);
    expect(graphemeLength('👨‍👩‍👧‍👦')).toBe(1);
    expect(graphemeLength('e\u0301')).toBe(1);
    expect(graphemeLength('abc')).toBe(3);
  });

  it('R5: NFKC and lower case make the name key', () => {
    expect(accountNameKey('ｈｅｌｐ')).toBe(accountNameKey('Help'));
    expect(accountNameKey('Ⅻ')).toBe(accountNameKey('xii'));
    expect(accountNameKey('상담')).not.toBe(accountNameKey('상담실'));
  });

  it('R5: a megabyte of combining marks is refused without counting it', () => {
    const result = accountNameSchema.safeParse('a' + '\u0301'.repeat(1_000_000));
    expect(result.success).toBe(false);
  });

  it('R7: descriptions hold at most 100 user-perceived characters; empty or null clear them', () => {
    expect(descriptionSchema.parse('  We answer  ')).toBe('We answer');
    expect(descriptionSchema.parse('')).toBeNull();
    expect(descriptionSchema.parse(null)).toBeNull();
    expect(descriptionSchema.parse('👍🏽'.repeat(100))).toBe('👍🏽'.repeat(100));
    expect(descriptionSchema.safeParse('d'.repeat(101)).success).toBe(false);
    // Line breaks are fine in a description; other control characters are not.
    expect(descriptionSchema.parse('line one\nline two')).toBe('line one\nline two');
    expect(descriptionSchema.safeParse('bell\u0007').success).toBe(false);
  });

  it('R10: cursors round-trip and reject anything else', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8.64e15 }), fc.stringMatching(/^[a-z0-9]{1,20}$/), (ms, id) => {
        const position = { activatedAt: new Date(ms), id };
        expect(decodeAccountCursor(encodeAccountCursor(position))._unsafeUnwrap()).toEqual(position);
      }),
    );
    for (const bad of ['', '!!!', 'a'.repeat(100), btoa('12:UPPER'), btoa('x:abc')]) {
      expect(decodeAccountCursor(bad).isErr()).toBe(true);
    }
  });

  it('R11: tokens are URL-safe and carry 144 random bits', () => {
    const tokens = new Set(Array.from({ length: 2000 }, () => newContactToken()));
    expect(tokens.size).toBe(2000);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{24}$/);
  });
});
