import { err } from 'neverthrow';
import type { CxError } from './errors.js';
import { runOperation } from './run-operation.js';
import { domainIdSchema } from './validation/identifiers.js';
import { parseInput } from './validation/parse-input.js';

/**
 * Per group, the names of its operations that act on every domain (runners, cleanup) and so
 * stay on `cx`: a domain handle ({@link CxDomain}) leaves them out.
 *
 * @category Setup
 */
export type DomainFree = {
  history: 'runPendingBackups' | 'deleteExpiredBackups' | 'drain';
  webhooks: 'runPendingDeliveries';
};

/** The same list as values, for the handle to leave them out at run time. */
export const DOMAIN_FREE_OPERATIONS: { readonly [G in keyof DomainFree]: readonly DomainFree[G][] } = {
  history: ['runPendingBackups', 'deleteExpiredBackups', 'drain'],
  webhooks: ['runPendingDeliveries'],
};

/**
 * An operation with its leading `domainId` bound. Overloads (up to three, as `accounts.qrCode`
 * has) are kept, each without its first parameter.
 */
export type DomainBound<F> = F extends {
  (domainId: string, ...args: infer A1): infer R1;
  (domainId: string, ...args: infer A2): infer R2;
  (domainId: string, ...args: infer A3): infer R3;
}
  ? { (...args: A1): R1; (...args: A2): R2; (...args: A3): R3 }
  : F extends (domainId: string, ...args: infer A) => infer R
    ? (...args: A) => R
    : never;

/** A group of operations with `domainId` bound, without the ones that act on every domain. */
export type DomainBoundGroup<G, Skip extends PropertyKey> = { [K in Exclude<keyof G, Skip>]: DomainBound<G[K]> };

/**
 * What `cx.domain(domainId)` answers: the operation groups of `CxAccounts` with `domainId` bound
 * (R50), typed from the groups themselves, so an ID can no longer be passed where the domain
 * goes. Runners and cleanups that act on every domain (`history.runPendingBackups`, …) stay on
 * `cx`.
 *
 * @example
 * ```ts
 * const acme = cx.domain('acme');
 * const created = await acme.accounts.create({ productId: 'basic', name: 'Help', id: 'help', agentIds: ['u1'] });
 * created.match(
 *   (account) => console.log(account.contactUrl),
 *   (error) => console.error(error.code, error.message),
 * );
 * await cx.as('admin:u1').domain('acme').agents.add('help', ['u2']);
 * ```
 *
 * @category Setup
 */
export type CxDomain<Groups extends object> = {
  [N in keyof Groups]: DomainBoundGroup<Groups[N], N extends keyof DomainFree ? DomainFree[N] : never>;
};

/**
 * The groups of `cx` with `domainId` bound. An invalid `domainId` makes every operation of the
 * handle answer the `validation` error (nothing throws).
 */
export function bindDomain<Groups extends object>(groups: Groups, domainId: unknown): CxDomain<Groups> {
  const parsed = parseInput(domainIdSchema, domainId, 'domainId');
  const refusal: CxError | null = parsed.isErr() ? parsed.error : null;
  const handle: Record<string, Record<string, unknown>> = {};
  for (const [groupName, group] of Object.entries(groups)) {
    if (typeof group !== 'object' || group === null) continue;
    const skip: readonly string[] = (DOMAIN_FREE_OPERATIONS as Record<string, readonly string[]>)[groupName] ?? [];
    const bound: Record<string, unknown> = {};
    for (const [name, operation] of Object.entries(group as Record<string, unknown>)) {
      if (typeof operation !== 'function' || skip.includes(name)) continue;
      bound[name] = refusal
        ? () => runOperation(async () => err(refusal))
        : (...args: unknown[]) => (operation as (...a: unknown[]) => unknown)(domainId, ...args);
    }
    handle[groupName] = bound;
  }
  return handle as CxDomain<Groups>;
}
