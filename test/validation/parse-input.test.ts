import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { memberIdsSchema } from '../../src/agents/agent-operations.js';
import { versionOptionsSchema } from '../../src/accounts/account-fields.js';
import { accountIdSchema, domainIdSchema, memberIdSchema, productIdSchema } from '../../src/validation/identifiers.js';
import { addContactSchema, receiveSchema, sendSchema } from '../../src/conversations/conversation-operations.js';
import { isRecognisedIssue, localIssueMessage } from '../../src/issue-texts.js';
import { parseInput } from '../../src/validation/parse-input.js';
import { nameField, proseField, textField } from '../../src/validation/text-fields.js';

/** Strings near the edges of the id rules: empty, long, controls, lone surrogates, case. */
const idLike = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.stringMatching(/^[a-zA-Z0-9]{0,22}$/),
  fc.constantFrom('', 'a', 'A', 'u1', 'x'.repeat(64), 'x'.repeat(65), 'x'.repeat(128), 'x'.repeat(129), 'a\u0000b', 'a\u007f', '\ud800', 'ok\u0085'),
);
const anyInput = fc.oneof(idLike, fc.anything({ maxDepth: 2 }), fc.array(idLike, { maxLength: 5 }), fc.record({ expectedVersion: fc.oneof(fc.integer(), fc.double()) }));

/**
 * The answer of `parseInput` must be the schema's own: same success, same value, and on a
 * refusal the messages of a parse given our message function (parseInput parses a refused
 * input a second time to build them).
 */
function agreesWithSchema(schema: z.ZodType, input: unknown) {
  const answer = parseInput(schema, input);
  const plain = schema.safeParse(input);
  expect(answer.isOk()).toBe(plain.success);
  if (answer.isOk() && plain.success) expect(answer.value).toEqual(plain.data);
  if (answer.isErr()) {
    expect(answer.error.code).toBe('validation');
    const issues = answer.error.code === 'validation' ? answer.error.issues : [];
    expect(issues.length).toBeGreaterThan(0);
    for (const issue of issues) expect(issue.message).not.toBe('');
  }
}

describe('parseInput answers what the schema answers (R27), zod alone', () => {
  const schemas: [string, z.ZodType][] = [
    ['domain id', domainIdSchema],
    ['member id', memberIdSchema],
    ['product id', productIdSchema],
    ['account ID (R6)', accountIdSchema],
    ['member list (R15)', memberIdsSchema],
    ['version options (R12)', versionOptionsSchema],
    ['a name, trimmed (R5, R48)', nameField(20)],
    ['prose (R7, R19)', proseField(30)],
    ['a message text (R48)', textField({ min: 1, max: 12 })],
    ['a contact name', textField({ min: 1, max: 10, trim: true, forbidControl: true })],
  ];
  for (const [name, schema] of schemas) {
    it(`${name}: accepts and refuses exactly what the schema does`, () => {
      fc.assert(fc.property(anyInput, (input) => agreesWithSchema(schema, input)), { numRuns: 1500 });
    });
  }

  /** Objects near the message inputs: fields present, absent, undefined, wrong or unknown. */
  const field = fc.oneof(idLike, fc.constantFrom('line', 'mail', 'lineworks', 'LINE', ' line'), fc.date({ noInvalidDate: false }), fc.constant(undefined), fc.integer());
  const messageLike = fc.dictionary(
    fc.constantFrom('customerId', 'content', 'channel', 'at', 'messageId', 'agentId', 'name', 'extra'),
    field,
    { maxKeys: 7 },
  );
  const objects: [string, z.ZodType][] = [
    ['receiveMessage input', receiveSchema],
    ['sendMessage input', sendSchema],
    ['addContact input', addContactSchema],
  ];
  for (const [name, schema] of objects) {
    it(`${name}: accepts and refuses exactly what the schema does, and answers the same value`, () => {
      fc.assert(fc.property(fc.oneof(messageLike, anyInput), (input) => agreesWithSchema(schema, input)), { numRuns: 3000 });
    });
  }

  it('the common message input passes, with the same value', () => {
    const input = { customerId: 'c1', content: 'hello', channel: 'line' };
    expect(parseInput(receiveSchema, input).isOk()).toBe(true);
    agreesWithSchema(receiveSchema, input);
    const contact = parseInput(addContactSchema, { customerId: 'c1', name: '  Kim  ', channel: 'mail' });
    expect(contact.isOk() && contact.value.name).toBe('Kim');
  });

  it('R27: a refused input gets our messages, not zod\'s defaults, and an unknown field is named', () => {
    const answer = parseInput(receiveSchema, { customerId: 'c1', content: '', channel: 'fax', extra: 1 });
    expect(answer.isErr() && answer.error.code === 'validation' && answer.error.issues).toEqual([
      { path: 'content', message: 'must not be empty' },
      { path: 'channel', message: 'must be one of "lineworks", "line", "mail", got "fax"' },
      { path: '', message: 'unknown field(s): extra' },
    ]);
    const options = parseInput(versionOptionsSchema, { expectedVersion: 1.5 }, 'options');
    expect(options.isErr() && options.error.code === 'validation' && options.error.issues).toEqual([
      { path: 'options.expectedVersion', message: 'must be a whole number, got 1.5' },
    ]);
  });

  it('R27 R51: an unknown field with an empty name is named as "", and its Korean and Japanese texts quote it once', () => {
    const answer = parseInput(receiveSchema, { customerId: 'c1', content: 'hi', channel: 'line', '': 1, extra: 2 });
    const issues = answer.isErr() && answer.error.code === 'validation' ? answer.error.issues : [];
    expect(issues).toEqual([{ path: '', message: 'unknown field(s): "", extra' }]);
    expect(isRecognisedIssue(issues[0]!.message)).toBe(true);
    expect(localIssueMessage(issues[0]!.message, 'ko')).toBe('알 수 없는 항목: "", "extra"');
    expect(localIssueMessage(issues[0]!.message, 'ja')).toBe('不明な項目: "", "extra"');
  });

  it('an input that passes only on the second read (a getter that changes) is answered as parsed, never unchecked', () => {
    let reads = 0;
    const input = {
      customerId: 'c1',
      channel: 'line',
      get content() {
        reads += 1;
        return reads === 1 ? '' : 'hello';
      },
    };
    const answer = parseInput(receiveSchema, input);
    expect(reads).toBe(2);
    expect(answer.isOk() && answer.value).toEqual({ customerId: 'c1', channel: 'line', content: 'hello' });
  });

  it('a member list with a repeated id is refused with the message that names it', () => {
    const answer = parseInput(memberIdsSchema, ['u1', 'u2', 'u1'], 'memberIds');
    expect(answer.isErr() && answer.error.code === 'validation' && answer.error.issues[0]?.message).toBe('lists "u1" twice');
  });

  it('a member list is answered as a copy, not the caller\'s array', () => {
    const ids = ['u1', 'u2'];
    const answer = parseInput(memberIdsSchema, ids);
    expect(answer.isOk() && answer.value !== ids && answer.value).toEqual(['u1', 'u2']);
  });
});
