import { err, ok, type ResultAsync } from 'neverthrow';
import { z } from 'zod';
import { storeFailure, type CxError } from '../errors.js';
import type { OperationContext } from '../operation-context.js';
import type { Member } from '../ports/member-directory.js';
import { runOperation } from '../run-operation.js';
import { domainIdSchema } from '../validation/identifiers.js';
import { parseInput } from '../validation/parse-input.js';

const searchOptionsSchema = z
  .strictObject({ limit: z.number().int('must be a whole number').min(1).max(100).optional() })
  .optional();

/**
 * The `members` operations.
 *
 * @category Agents
 */
export type MemberOperations = {
  /**
   * Searches the host's directory by name or email (default limit 20, at most 100).
   *
   * @example
   * ```ts
   * const found = await cx.members.search('acme', 'kim', { limit: 10 });
   * ```
   */
  search(domainId: string, query: string, options?: { limit?: number }): ResultAsync<Member[], CxError>;
};

export function memberOperations(context: OperationContext): MemberOperations {
  return {
    search: (domainId, query, options) =>
      runOperation(async () => {
        const domain = parseInput(domainIdSchema, domainId, 'domainId');
        if (domain.isErr()) return err(domain.error);
        const text = parseInput(z.string().max(200), query, 'query');
        if (text.isErr()) return err(text.error);
        const parsed = parseInput(searchOptionsSchema, options, 'options');
        if (parsed.isErr()) return err(parsed.error);
        try {
          const members = await context.directory.search(domain.value, text.value.trim(), parsed.value?.limit ?? 20);
          return ok(members.map(({ id, name, email }) => ({ id, name, email })));
        } catch (cause) {
          return err(storeFailure(cause, `member directory failed: ${cause instanceof Error ? cause.message : String(cause)}`));
        }
      }),
  };
}
