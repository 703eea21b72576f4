/**
 * A person of a domain, as the host app's directory knows them.
 *
 * @category Stores
 */
export type Member = { id: string; name: string; email: string };

/**
 * The host app's directory of members. `cx-accounts` never stores members: it asks the
 * directory whether an agent-to-be exists, and for names when it records history.
 *
 * @example
 * ```ts
 * const directory: MemberDirectory = {
 *   search: (domainId, query, limit) => myApi.searchPeople(domainId, query, limit),
 *   get: (domainId, ids) => myApi.peopleByIds(domainId, ids),
 * };
 * ```
 *
 * @category Stores
 */
export interface MemberDirectory {
  /** Members of the domain whose name or email matches `query`, at most `limit`. */
  search(domainId: string, query: string, limit: number): Promise<Member[]>;
  /** The members with these ids; unknown ids are left out. */
  get(domainId: string, memberIds: readonly string[]): Promise<Member[]>;
}
