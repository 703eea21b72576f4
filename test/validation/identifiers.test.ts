import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeAccountCursor, encodeAccountCursor } from '../../src/accounts/account-cursor.js';
import {
  accountIdSchema,
  actorSchema,
  backupJobIdSchema,
  botIdSchema,
  customerIdSchema,
  domainIdSchema,
  holidayIdSchema,
  memberIdSchema,
  messageIdSchema,
  productIdSchema,
  roomIdSchema,
} from '../../src/validation/identifiers.js';
import { parseInput } from '../../src/validation/parse-input.js';

const idSchemas = {
  domainId: [domainIdSchema, 128],
  memberId: [memberIdSchema, 128],
  productId: [productIdSchema, 64],
  customerId: [customerIdSchema, 128],
  botId: [botIdSchema, 64],
  holidayId: [holidayIdSchema, 64],
  jobId: [backupJobIdSchema, 128],
  roomId: [roomIdSchema, 128],
  messageId: [messageIdSchema, 200],
  actor: [actorSchema, 200],
} as const;

describe('R27 R48: ids', () => {
  it('R48: every id refuses control characters, naming the field and the code point', () => {
    for (const [field, [schema]] of Object.entries(idSchemas)) {
      for (const [id, codePoint] of [['q\u0000', 'U+0000'], ['a\nb', 'U+000A'], ['\u007f', 'U+007F'], ['x\u0085', 'U+0085'], ['\u009b', 'U+009B']]) {
        const result = parseInput(schema, id, field);
        expect(result._unsafeUnwrapErr(), `${field} ${JSON.stringify(id)}`).toMatchObject({
          code: 'validation',
          issues: [{ path: field, message: `must not contain control characters (${codePoint})` }],
        });
      }
    }
  });

  it('R48: every id refuses lone surrogates, which a database would store as U+FFFD', () => {
    for (const [field, [schema]] of Object.entries(idSchemas)) {
      for (const id of ['\ud800', 'basic\udfff', '\udc00x']) {
        expect(parseInput(schema, id, field)._unsafeUnwrapErr()).toMatchObject({
          code: 'validation',
          issues: [{ path: field, message: 'holds a lone surrogate, which is not valid text' }],
        });
      }
    }
  });

  it('R1 R47 R33: lengths: productId, botId and holidayId 1–64, messageId and actor 1–200, the others 1–128', () => {
    for (const [field, [schema, max]] of Object.entries(idSchemas)) {
      expect(parseInput(schema, 'x'.repeat(max), field)._unsafeUnwrap()).toBe('x'.repeat(max));
      expect(parseInput(schema, 'x'.repeat(max + 1), field)._unsafeUnwrapErr().message).toBe(`${field}: at most ${max} characters, got ${max + 1}`);
      expect(parseInput(schema, '', field)._unsafeUnwrapErr().message).toBe(`${field}: must not be empty`);
      expect(parseInput(schema, 42, field)._unsafeUnwrapErr().code).toBe('validation');
    }
  });

  it('R48: well-formed ids of any script pass unchanged, never trimmed or normalised (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }), (text) => {
        // eslint-disable-next-line no-control-regex
        fc.pre(!/[\u0000-\u001f\u007f-\u009f]/.test(text) && text.length <= 64);
        expect(productIdSchema.parse(text)).toBe(text);
        expect(actorSchema.parse(text)).toBe(text);
      }),
    );
    expect(productIdSchema.parse(' basic ')).toBe(' basic ');
    expect(actorSchema.parse('admin:u1')).toBe('admin:u1');
  });
});

describe('R6: account IDs', () => {
  it('R6: a lowercase letter or digit first, then up to 19 ASCII letters and digits', () => {
    for (const id of ['help', 'helpDesk', 'h', '0', '9Lives', 'a1B2c3D4e5F6g7H8i9J0', 'x'.repeat(20)]) {
      expect(accountIdSchema.parse(id)).toBe(id);
    }
  });

  it('R6: anything else is a validation error, never rewritten, with a message that says why', () => {
    const cases: [unknown, string][] = [
      ['', 'must not be empty'],
      ['a'.repeat(21), 'at most 20 characters, got 21'],
      ['Help', 'must start with a lowercase letter a-z or a digit 0-9, got "Help"'],
      [' help', 'must start with a lowercase letter a-z or a digit 0-9, got " help"'],
      ['_help', 'must start with a lowercase letter a-z or a digit 0-9, got "_help"'],
      ['help desk', 'only letters A-Z, a-z and digits 0-9 are allowed (no spaces or special characters), got "help desk"'],
      ['help-desk', 'only letters A-Z, a-z and digits 0-9 are allowed (no spaces or special characters), got "help-desk"'],
      ['help_desk', 'only letters A-Z, a-z and digits 0-9 are allowed (no spaces or special characters), got "help_desk"'],
      ['help.desk', 'only letters A-Z, a-z and digits 0-9 are allowed (no spaces or special characters), got "help.desk"'],
      ['héllo', 'only letters A-Z, a-z and digits 0-9 are allowed (no spaces or special characters), got "héllo"'],
      ['help\n', 'only letters A-Z, a-z and digits 0-9 are allowed (no spaces or special characters), got "help\\n"'],
      ['ｈｅｌｐ', 'must start with a lowercase letter a-z or a digit 0-9, got "ｈｅｌｐ"'],
    ];
    for (const [id, message] of cases) {
      expect(parseInput(accountIdSchema, id, 'id')._unsafeUnwrapErr(), JSON.stringify(id)).toEqual({
        code: 'validation',
        message: `id: ${message}`,
        issues: [{ path: 'id', message }],
      });
    }
    expect(parseInput(accountIdSchema, 7, 'id')._unsafeUnwrapErr().message).toBe('id: must be a string (account ID), got number');
  });

  it('R6 R10: list cursors carry IDs with capitals after the first character', () => {
    const position = { activatedAt: new Date('2026-01-01T00:00:00Z'), id: 'helpDesk2' };
    expect(decodeAccountCursor(encodeAccountCursor(position))._unsafeUnwrap()).toEqual(position);
    expect(decodeAccountCursor(encodeAccountCursor({ ...position, id: 'HelpDesk' })).isErr()).toBe(true);
  });
});
