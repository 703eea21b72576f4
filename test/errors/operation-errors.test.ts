import { okAsync, type ResultAsync } from 'neverthrow';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { CxAccounts } from '../../src/cx-accounts.js';
import type { CxError } from '../../src/errors.js';
import { narrowed, OPERATION_ERROR_CODES, type OperationError } from '../../src/operation-errors.js';

/** The error codes an operation's type lets through. */
type CodesOf<F> = F extends (...args: never[]) => ResultAsync<unknown, infer E> ? (E extends { code: infer C } ? C : never) : never;

describe('errors typed per operation', () => {
  it('R27: each operation declares only the codes it can answer', () => {
    expectTypeOf<CodesOf<CxAccounts['accounts']['create']>>().toEqualTypeOf<
      | 'validation'
      | 'not_found'
      | 'product_unavailable'
      | 'seat_limit_exceeded'
      | 'id_taken'
      | 'name_taken'
      | 'directory_failure'
      | 'store_failure'
      | 'internal'
      | 'config_invalid'
    >();
    // accounts.create cannot answer backup_not_ready; history.download can.
    expectTypeOf<'backup_not_ready'>().not.toExtend<CodesOf<CxAccounts['accounts']['create']>>();
    expectTypeOf<'backup_not_ready'>().toExtend<CodesOf<CxAccounts['history']['download']>>();
    expectTypeOf<CodesOf<CxAccounts['agents']['remove']>>().toEqualTypeOf<
      'validation' | 'not_found' | 'version_conflict' | 'last_agent' | 'store_failure' | 'internal' | 'config_invalid'
    >();
    expectTypeOf<CodesOf<CxAccounts['events']['read']>>().toEqualTypeOf<'validation' | 'store_failure' | 'internal' | 'config_invalid'>();
    expectTypeOf<'channel_disconnected'>().toExtend<CodesOf<CxAccounts['conversations']['receiveMessage']>>();
    // R43: a reply through a channel that is off is refused too.
    expectTypeOf<'channel_disconnected'>().toExtend<CodesOf<CxAccounts['conversations']['sendMessage']>>();
  });

  it('R27: a switch narrows to the error with its fields', () => {
    type CreateError = ReturnType<CxAccounts['accounts']['create']> extends ResultAsync<unknown, infer E> ? E : never;
    type SeatError = Extract<CreateError, { code: 'seat_limit_exceeded' }>;
    expectTypeOf<SeatError['productId']>().toEqualTypeOf<string>();
    expectTypeOf<SeatError['seatLimit']>().toEqualTypeOf<number>();
    expectTypeOf<SeatError['requested']>().toEqualTypeOf<number>();
    type RemoveError = ReturnType<CxAccounts['agents']['remove']> extends ResultAsync<unknown, infer E> ? E : never;
    expectTypeOf<Extract<RemoveError, { code: 'last_agent' }>['accountIds']>().toEqualTypeOf<string[]>();
  });

  it('R27: the table names real codes and every operation of CxAccounts', () => {
    const known: CxError['code'][] = [
      'validation', 'not_found', 'name_taken', 'id_taken', 'product_unavailable', 'seat_limit_exceeded', 'quantity_below_usage',
      'last_agent', 'already_agent', 'holiday_in_past', 'holiday_overlap', 'version_conflict', 'backup_not_ready',
      'channel_disconnected', 'store_failure', 'directory_failure', 'internal', 'config_invalid',
    ];
    for (const codes of Object.values(OPERATION_ERROR_CODES)) for (const code of codes) expect(known).toContain(code);
    expect(Object.keys(OPERATION_ERROR_CODES)).toHaveLength(48);
  });

  it('R27: narrowed accepts a group only when its declared errors are CxErrors (a checked downcast)', () => {
    type Declared = { get(id: string): ResultAsync<number, OperationError<'accounts.get'>> };
    const group = narrowed<Declared>({ get: (id) => okAsync(id.length) });
    expectTypeOf(group.get).returns.toEqualTypeOf<ResultAsync<number, OperationError<'accounts.get'>>>();
    type NotCx = { get(id: string): ResultAsync<number, { code: 'nope' }> };
    // @ts-expect-error an error type outside CxError is no narrowing of the implementation's
    narrowed<NotCx>({ get: (id: string) => okAsync(id.length) });
    type OtherValue = { get(id: string): ResultAsync<string, OperationError<'accounts.get'>> };
    // @ts-expect-error the value type is the implementation's, not another
    narrowed<OtherValue>({ get: (id: string) => okAsync(id.length) });
  });
});
