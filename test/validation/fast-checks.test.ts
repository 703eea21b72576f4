import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { memberIdsSchema } from '../../src/agents/agent-operations.js';
import { versionOptionsSchema } from '../../src/accounts/account-fields.js';
import { accountIdSchema, domainIdSchema, memberIdSchema, productIdSchema } from '../../src/validation/identifiers.js';
import { addContactSchema, receiveSchema, sendSchema } from '../../src/conversations/conversation-operations.js';
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

/** The answer of `parseInput` must be the schema's own: same success, same value. */
function agreesWithSchema(schema: z.ZodType, input: unknown) {
  const fast = parseInput(schema, input);
  const slow = schema.safeParse(input);
  expect(fast.isOk()).toBe(slow.success);
  if (fast.isOk() && slow.success) expect(fast.value).toEqual(slow.data);
}

describe('fast checks of the common input (R27: the same answers as the schemas)', () => {
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

  it('the common message input is vouched for without zod, with the same value', () => {
    const input = { customerId: 'c1', content: 'hello', channel: 'line' };
    expect(parseInput(receiveSchema, input).isOk()).toBe(true);
    agreesWithSchema(receiveSchema, input);
    agreesWithSchema(addContactSchema, { customerId: 'c1', name: '  Kim  ', channel: 'mail' });
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
