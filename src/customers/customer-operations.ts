import { ok, type ResultAsync } from 'neverthrow';
import { narrowed, type OperationError } from '../operation-errors.js';
import { newEvent } from '../events/new-event.js';
import type { OperationContext } from '../operation-context.js';
import { runOperation } from '../run-operation.js';
import { transact } from '../run-transaction.js';
import { customerIdSchema, domainIdSchema } from '../validation/identifiers.js';
import { parseInput } from '../validation/parse-input.js';
import { restartBackupsHoldingCustomer } from '../history/erasure-and-backups.js';

/**
 * What `customers.erase` removed (R42).
 *
 * @category Conversations
 */
export type ErasureReport = { contacts: number; messages: number; rooms: number };

/**
 * The `customers` operations.
 *
 * @category Conversations
 */
export type CustomerOperations = {
  /**
   * Removes a customer from the domain for good, as privacy law asks (R42): its contacts on
   * every account (reset ones included), its messages and the automatic replies to it, its
   * consultation rooms, and the memory of replies sent to it (a later `addContact` is a first
   * contact again), in one transaction. Events never held its name or its messages, so they
   * stay; `customer.erased` is appended. Backup files made before (`ready`) keep their copy
   * until they expire; a backup `running` whose file takes any of the customer's messages loses
   * what it wrote, in the same commit, and goes back to `pending` to be written again without
   * them (same point in time, exact `rowsTotal`); a `pending` one will not see them.
   *
   * @example
   * ```ts
   * const erased = await cx.customers.erase('acme', 'c1');
   * erased.match(
   *   ({ contacts, messages, rooms }) => console.log(`erased ${contacts} contacts, ${messages} messages, ${rooms} rooms`),
   *   (error) => console.error(error.message),
   * );
   * ```
   */
  erase(domainId: string, customerId: string): ResultAsync<ErasureReport, OperationError<'customers.erase'>>;
};

export function customerOperations(context: OperationContext): CustomerOperations {
  return narrowed<CustomerOperations>({
    erase: (domainId, customerId) =>
      runOperation(async (take) => {
        const domain = take(parseInput(domainIdSchema, domainId, 'domainId'));
        const customer = take(parseInput(customerIdSchema, customerId, 'customerId'));
        return await transact(context.store, domain, 'write', async (tx) => {
          // First, while its messages are there to tell which backups hold them.
          await restartBackupsHoldingCustomer(tx, customer);
          const report = await tx.eraseCustomer(customer);
          await tx.appendEvents([newEvent(context, 'customer.erased', null, { customerId: customer })]);
          return ok(report);
        });
      }),
  });
}
