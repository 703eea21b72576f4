import type { MemberDirectory } from './ports/member-directory.js';
import type { Store } from './ports/store.js';

/** What every operation is given: the store, the host's directory, the clock, the defaults and the actor. */
export type OperationContext = {
  store: Store;
  directory: MemberDirectory;
  clock: () => Date;
  /** Time zone of new accounts. */
  timeZone: string;
  /** Prefix of contact URLs. */
  contactUrlBase: string;
  /** Who acts, stamped on every event (R33); `null` for calls on `cx` itself. */
  actor: string | null;
};
