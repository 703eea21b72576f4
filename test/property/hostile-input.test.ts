/**
 * Hostile input against the validation layer itself (R27, R48): every schema the operations
 * use, through `parseInput`, on arbitrary values plus revoked proxies, extreme dates and
 * invisible names. The operations-level counterpart is the conformance suite's robustness case.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { accountNameSchema, descriptionSchema, versionOptionsSchema } from '../../src/accounts/account-fields.js';
import { weeklyHoursPatchSchema } from '../../src/schedule/weekly-hours.js';
import { accountIdSchema, customerIdSchema, domainIdSchema, memberIdSchema, messageIdSchema, productIdSchema } from '../../src/validation/identifiers.js';
import { messageTimeSchema } from '../../src/validation/message-time.js';
import { parseInput } from '../../src/validation/parse-input.js';
import { nameField, proseField, textField } from '../../src/validation/text-fields.js';
import { extremeDateMaker, hostileMaker, invisibleNameMaker, revokedProxy } from '../../testing/conformance/hostile-values.js';

/** Schemas shaped like the operations' inputs, built from the exported field schemas. */
const schemas: Record<string, z.ZodType> = {
  accountCreate: z.strictObject({
    productId: productIdSchema,
    name: accountNameSchema,
    id: accountIdSchema,
    description: descriptionSchema.optional(),
    agentIds: z.array(memberIdSchema).min(1).max(50),
  }),
  receiveMessage: z.strictObject({
    customerId: customerIdSchema,
    content: textField({ min: 1, max: 5000 }),
    channel: z.enum(['lineworks', 'line', 'mail']),
    at: messageTimeSchema.optional(),
    messageId: messageIdSchema.optional(),
  }),
  settings: z.strictObject({ weeklyHours: weeklyHoursPatchSchema.optional(), welcomeMessage: proseField(500).optional() }),
  union: z.union([z.strictObject({ kind: z.literal('group') }), z.strictObject({ kind: z.literal('consultation'), customerId: customerIdSchema })]),
  versionOptions: versionOptionsSchema,
  domainId: domainIdSchema,
  name: nameField(50),
  at: messageTimeSchema,
};

/** The path of each issue, to check the issue points into the input and names a field. */
const issuesOf = (result: ReturnType<typeof parseInput>) => (result.isErr() && result.error.code === 'validation' ? result.error.issues : []);

describe('R27 R48: parseInput on hostile input (property)', () => {
  it('R27: never throws, and answers ok or a validation error with issues, on every schema', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(schemas)), hostileMaker, (name, makeInput) => {
        const input = makeInput();
        let result;
        try {
          result = parseInput(schemas[name]!, input, 'input');
        } catch (error) {
          throw new Error(`parseInput(${name}) threw: ${String(error)}`);
        }
        if (result.isErr()) {
          expect(result.error.code).toBe('validation');
          const issues = issuesOf(result);
          expect(issues.length).toBeGreaterThan(0);
          for (const issue of issues) {
            expect(typeof issue.message).toBe('string');
            expect(issue.path.startsWith('input')).toBe(true);
          }
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('R27: a revoked proxy, anywhere in an input, is a validation error on every schema', () => {
    const inputs = [
      revokedProxy(),
      revokedProxy([]),
      { productId: revokedProxy(), name: 'Help', id: 'help', agentIds: ['u1'] },
      { productId: 'basic', name: 'Help', id: 'help', agentIds: revokedProxy([]) },
      { productId: 'basic', name: 'Help', id: 'help', agentIds: [revokedProxy()] },
      { customerId: 'c1', content: 'hi', channel: revokedProxy(), at: revokedProxy(new Date(0)) },
      { weeklyHours: { mon: [revokedProxy()] } },
      { kind: revokedProxy() },
    ];
    for (const [name, schema] of Object.entries(schemas)) {
      for (const input of inputs) {
        const result = parseInput(schema, input);
        expect(result.isErr() && result.error.code, name).toBe('validation');
      }
    }
  });

  it('R48: extreme dates and invisible names never pass', () => {
    fc.assert(
      fc.property(extremeDateMaker, invisibleNameMaker, (makeAt, makeName) => {
        const at = makeAt();
        const name = makeName();
        expect(issuesOf(parseInput(schemas.at!, at, 'at'))[0]?.path).toBe('at');
        expect(issuesOf(parseInput(schemas.name!, name, 'name'))[0]?.path).toBe('name');
        const created = parseInput(schemas.accountCreate!, { productId: 'basic', name, id: 'help', agentIds: ['u1'] });
        expect(issuesOf(created).map((issue) => issue.path)).toEqual(['name']);
        const received = parseInput(schemas.receiveMessage!, { customerId: 'c1', content: 'hi', channel: 'line', at });
        expect(issuesOf(received).map((issue) => issue.path)).toEqual(['at']);
      }),
      { numRuns: 200 },
    );
  });
});
