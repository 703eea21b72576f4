import type { StoreTransaction } from '../ports/store.js';

/**
 * Of `memberIds`, those that are an agent of no active account of the domain yet: adding them
 * gives them access to the consultation service (R17).
 */
export async function membersGainingAccess(tx: StoreTransaction, memberIds: readonly string[]): Promise<string[]> {
  const gaining: string[] = [];
  for (const memberId of memberIds) {
    if ((await tx.activeAccountIdsOfAgent(memberId)).length === 0) gaining.push(memberId);
  }
  return gaining;
}

/**
 * Of `memberIds`, those whose only active account is `accountId`: taking them off it (or
 * ending it) takes their access away (R17).
 */
export async function membersLosingAccess(tx: StoreTransaction, memberIds: readonly string[], accountId: string): Promise<string[]> {
  const losing: string[] = [];
  for (const memberId of memberIds) {
    const accountIds = await tx.activeAccountIdsOfAgent(memberId);
    if (accountIds.every((id) => id === accountId)) losing.push(memberId);
  }
  return losing;
}
