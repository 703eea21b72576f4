/**
 * The part of the store port that keeps webhook endpoints and their delivery attempts
 * (R53, R54), and the commit wake-ups live subscriptions wait on (R52).
 *
 * @module
 */

/**
 * Whether an endpoint receives deliveries.
 *
 * @category Webhooks
 */
export type WebhookStatus = 'active' | 'disabled';

/**
 * An endpoint as stored, with where its delivery stands.
 *
 * @category Stores
 */
export type WebhookEndpointRecord = {
  domainId: string;
  endpointId: string;
  url: string;
  /** The event types it receives; `null`: every type. */
  types: string[] | null;
  description: string | null;
  /** `whsec_` + base64 of 32 random bytes (Standard Webhooks): give it to the receiver's Standard Webhooks library. */
  secret: string;
  /** `disabled` after the last retry failed (R54); `webhooks.enable` makes it `active` again. */
  status: WebhookStatus;
  createdAt: Date;
  /** Every event with `seq` up to this one is done for it (delivered, or not of its types). Starts at the `seq` of its own `webhook.added`. */
  deliveredSeq: number;
  /** Failed attempts of the first event after `deliveredSeq` that is of its types (0: none yet). */
  attempt: number;
  /** Not before this instant is the next attempt made (`null`: now). */
  nextAttemptAt: Date | null;
  /** The runner that holds the endpoint (a random token), and until when; `null` when free. */
  leaseToken: string | null;
  leaseUntil: Date | null;
};

/**
 * One delivery attempt as stored (R53's `deliveries`).
 *
 * @category Stores
 */
export type WebhookAttemptRecord = {
  endpointId: string;
  /** The event's `seq`. */
  seq: number;
  /** 1 for the first attempt of that event, 2 for its first retry, … */
  attempt: number;
  at: Date;
  /** The HTTP status answered; `null` when none came (network error, timeout, `blocked_address`). */
  status: number | null;
  /** Why it failed, short; `null` when delivered. */
  error: string | null;
  durationMs: number;
};

/**
 * Where an endpoint's delivery stands: the fields of {@link WebhookEndpointRecord} a delivery
 * runner changes while it holds the endpoint.
 *
 * @category Stores
 */
export type WebhookDeliveryState = Pick<WebhookEndpointRecord, 'deliveredSeq' | 'attempt' | 'nextAttemptAt' | 'leaseToken' | 'leaseUntil'>;

/**
 * Where a page of attempts goes on from: the last one of the previous page.
 *
 * @category Stores
 */
export type WebhookAttemptPosition = { seq: number; attempt: number };

/**
 * The webhook part of a {@link StoreTransaction}, bound to the transaction's domain.
 *
 * @category Stores
 */
export interface WebhookTransaction {
  /** Adds an endpoint. */
  insertEndpoint(endpoint: WebhookEndpointRecord): Promise<void>;
  /** The endpoint of the domain with this id, or `null`. */
  getEndpoint(endpointId: string): Promise<WebhookEndpointRecord | null>;
  /** The endpoints of the domain, oldest `createdAt` first (ties by `endpointId`). */
  listEndpoints(): Promise<WebhookEndpointRecord[]>;
  /** Replaces an endpoint's fields, all but `domainId`, `endpointId`, `secret` and `createdAt`. */
  updateEndpoint(endpoint: WebhookEndpointRecord): Promise<void>;
  /** Deletes an endpoint and its attempts (nothing when there is none). */
  deleteEndpoint(endpointId: string): Promise<void>;
  /** Records an attempt; (`endpointId`, `seq`, `attempt`) is unique. */
  insertAttempt(attempt: WebhookAttemptRecord): Promise<void>;
  /** An endpoint's attempts newest first (by `seq`, then `attempt`, both descending), after `after` in that order, at most `limit`. */
  listAttempts(endpointId: string, after: WebhookAttemptPosition | null, limit: number): Promise<WebhookAttemptRecord[]>;
}

/**
 * What a store calls on a watcher of a domain's events ({@link Store.watchEvents}).
 *
 * @category Stores
 */
export type EventWatcher = {
  /** Events of the domain may have committed: read again from the last `seq` seen. May come when nothing changed. */
  wake(): void;
  /** The store closed: no more wake-ups come. */
  closed(): void;
};
