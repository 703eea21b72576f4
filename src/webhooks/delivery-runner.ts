import { SpanKind } from '@opentelemetry/api';
import { err, ok, type Result } from 'neverthrow';
import { storeFailure, type CxError } from '../errors.js';
import { toCloudEvent } from '../events/cloud-event.js';
import { readEventsAfter, toCxEvent } from '../events/event-subscription.js';
import { newEvent } from '../events/new-event.js';
import type { EventRecord } from '../ports/records.js';
import type { Store, StoreTransaction } from '../ports/store.js';
import { storeFailureOf } from '../ports/store-error.js';
import type { WebhookAttemptRecord, WebhookDeliveryState, WebhookEndpointRecord, WebhookTransaction } from '../ports/webhook-port.js';
import { randomId } from '../random-id.js';
import { recordCxOutcome } from '../telemetry/cx-outcome.js';
import { inSpan, markFailed } from '../telemetry/in-span.js';
import { transact } from '../run-transaction.js';
import { receivesType } from './webhook-endpoint.js';
import { signatureHeaders, signingKeys } from './webhook-signature.js';
import { BLOCKED_ADDRESS, shortError, type WebhookTransport } from './webhook-transport.js';

/**
 * Pauses before the retries of a failed delivery (R54): 5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
 * 10 h, by the store's clock. After the last retry fails the endpoint is `disabled`.
 */
export const RETRY_DELAYS_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000] as const;

/** How long a runner holds an endpoint without renewing (longer than an attempt's 15 s timeout). */
export const LEASE_MS = 60_000;

/** Events read per transaction while an endpoint is delivered. */
const PAGE = 200;
/** Endpoints delivered at once by one runner (each strictly in order). */
const CONCURRENT_ENDPOINTS = 16;
/** The runner's write transactions of one domain at once (each waits for the domain's lock; see `inTurn`). */
const TRANSACTIONS_PER_DOMAIN = 2;

/**
 * What one pass of `webhooks.runPendingDeliveries` did.
 *
 * @category Webhooks
 */
export type DeliveryReport = {
  /** Events delivered (a 2xx answer). */
  delivered: number;
  /** Attempts that failed (retried later, or the endpoint disabled). */
  failed: number;
  /** Endpoints disabled after their last retry failed. */
  disabled: number;
  /** Endpoints another runner held (or that changed meanwhile): left to it. */
  skipped: number;
};

export type DeliveryRunner = {
  /** Delivers what is due now, on every domain; answers what it did. */
  runPending(actor: string | null): Promise<Result<DeliveryReport, CxError>>;
  /** The earliest `nextAttemptAt` the last pass saw among endpoints it left waiting, for the in-process timer. */
  nextWake(): Date | null;
};

type Sender = { transport: () => Promise<WebhookTransport>; allowPrivateNetworks: boolean; timeoutMs: number };

/** The webhook part of a transaction; the caller checked the store has it. */
const hooks = (tx: StoreTransaction): WebhookTransaction => tx.webhooks!();

/**
 * The delivery runner (R54).
 *
 * Per endpoint, a lease in the store (`leaseToken`, `leaseUntil`, taken in a write transaction
 * of the endpoint's domain, which serialises the runners of every process) lets one runner at
 * a time deliver it. Holding it, the runner reads the events after `deliveredSeq`, skips those
 * not of its types, POSTs the next one, and records the attempt — with the new `deliveredSeq`,
 * or the retry's time — in one transaction that checks the lease is still its own. So events go
 * out one at a time in `seq` order; a runner that dies mid-delivery recorded nothing, and once
 * its lease runs out the next runner sends that event again (at least once).
 */
export function deliveryRunner(store: Store, clock: () => Date, sender: Sender): DeliveryRunner {
  let earliestWake: Date | null = null;
  const keys = signingKeys();
  const noteWake = (at: Date | null) => {
    if (at && (!earliestWake || at < earliestWake)) earliestWake = at;
  };

  // The runner's write transactions of one domain wait for a turn here, at most
  // TRANSACTIONS_PER_DOMAIN at once, rather than all in the database: each takes the domain's
  // lock, so the 16 endpoint workers of one domain queued there held 16 pooled connections
  // waiting for it, and the host's writes and subscribers' reads waited for a connection
  // (subscribe-latency.bench.ts, PostgreSQL under the runner: commit→yield p99 201 ms and a
  // write's p50 102 ms, then 15 ms and 13 ms). The HTTP requests still overlap.
  const turns = new Map<string, { active: number; waiting: (() => void)[] }>();
  const inTurn = async <T>(domainId: string, task: () => Promise<T>): Promise<T> => {
    let turn = turns.get(domainId);
    if (!turn) {
      turn = { active: 0, waiting: [] };
      turns.set(domainId, turn);
    }
    const held = turn;
    if (held.active >= TRANSACTIONS_PER_DOMAIN) await new Promise<void>((resolve) => held.waiting.push(resolve));
    else held.active += 1;
    try {
      return await task();
    } finally {
      // The turn passes to the next waiting task, or is given back.
      const next = held.waiting.shift();
      if (next) next();
      else {
        held.active -= 1;
        if (held.active === 0) turns.delete(domainId);
      }
    }
  };

  const claim = (endpoint: WebhookEndpointRecord, token: string) =>
    inTurn(endpoint.domainId, () => transact(store, endpoint.domainId, 'write', async (tx) => {
      const current = await hooks(tx).getEndpoint(endpoint.endpointId);
      const now = clock();
      if (!current || current.status !== 'active') return ok(null);
      if (current.leaseToken !== null && current.leaseUntil !== null && current.leaseUntil > now) return ok(null);
      if (current.nextAttemptAt !== null && current.nextAttemptAt > now) {
        noteWake(current.nextAttemptAt);
        return ok(null);
      }
      const claimed = { ...current, leaseToken: token, leaseUntil: new Date(now.getTime() + LEASE_MS) };
      await hooks(tx).updateEndpoint(claimed);
      // The newest attempt recorded: attempts are numbered per event from it, and while the lease
      // holds only this runner records more, so the runner counts on from here without reading.
      const [newest] = await hooks(tx).listAttempts(current.endpointId, null, 1);
      return ok({ endpoint: claimed, newest: newest ? { seq: newest.seq, attempt: newest.attempt } : null });
    }));

  /** Applies `change` only while `token` holds the endpoint; answers the endpoint as written, or `null`. */
  const whileHeld = (endpoint: WebhookEndpointRecord, token: string, change: (tx: StoreTransaction, current: WebhookEndpointRecord) => Promise<WebhookEndpointRecord>) =>
    inTurn(endpoint.domainId, () => transact(store, endpoint.domainId, 'write', async (tx) => {
      const current = await hooks(tx).getEndpoint(endpoint.endpointId);
      if (!current || current.leaseToken !== token || current.status !== 'active') return ok(null);
      const next = await change(tx, current);
      await hooks(tx).updateEndpoint(next);
      return ok(next);
    }));

  /**
   * Writes where a held endpoint's delivery stands, with the attempt made if any, while `token`
   * still holds it; answers the endpoint as written, or `null`. Through the store's
   * `recordWebhookDelivery` when it has one: no domain lock, so the 16 endpoints' records
   * commit side by side (PostgreSQL, webhook-delivery.bench.ts on a 2-core VM: 804 → 2,340
   * deliveries/s); else in a write transaction of the domain. While the lease holds only this
   * runner changes these fields (`webhooks.enable` touches only disabled endpoints, a claim
   * only free ones), so they are written from the runner's copy, unread.
   */
  const recordHeld = async (
    endpoint: WebhookEndpointRecord,
    token: string,
    state: WebhookDeliveryState,
    attempt: WebhookAttemptRecord | null,
  ): Promise<Result<WebhookEndpointRecord | null, CxError>> => {
    if (store.recordWebhookDelivery) {
      try {
        const recorded = await store.recordWebhookDelivery(endpoint.domainId, endpoint.endpointId, token, state, attempt);
        return ok(recorded ? { ...endpoint, ...state } : null);
      } catch (cause) {
        // A StoreError keeps its message and outcome.
        return err(storeFailureOf(cause));
      }
    }
    return whileHeld(endpoint, token, async (tx, current) => {
      if (attempt) await hooks(tx).insertAttempt(attempt);
      return { ...current, ...state };
    });
  };

  /** The fields of {@link WebhookDeliveryState} as `endpoint` has them. */
  const stateOf = ({ deliveredSeq, attempt, nextAttemptAt, leaseToken, leaseUntil }: WebhookEndpointRecord): WebhookDeliveryState => ({
    deliveredSeq,
    attempt,
    nextAttemptAt,
    leaseToken,
    leaseUntil,
  });

  const release = (endpoint: WebhookEndpointRecord, token: string) => recordHeld(endpoint, token, { ...stateOf(endpoint), leaseToken: null, leaseUntil: null }, null);

  const send = async (endpoint: WebhookEndpointRecord, event: EventRecord) => {
    const body = JSON.stringify(toCloudEvent(toCxEvent(event)));
    const started = performance.now();
    try {
      // The timestamp is the sending time by the wall clock: receivers compare it with theirs (replay window).
      const signed = await signatureHeaders(endpoint.secret, `${event.domainId}:${event.seq}`, Math.floor(Date.now() / 1000), body, keys);
      const transport = await sender.transport();
      const answer = await transport({
        url: endpoint.url,
        headers: { 'content-type': 'application/cloudevents+json', 'user-agent': 'cx-accounts-webhooks', ...signed },
        body,
        timeoutMs: sender.timeoutMs,
        allowPrivateNetworks: sender.allowPrivateNetworks,
      });
      const durationMs = Math.max(0, Math.round(performance.now() - started));
      if ('error' in answer) return { status: null, error: answer.error, durationMs };
      if (answer.status >= 200 && answer.status < 300) return { status: answer.status, error: null, durationMs };
      const error = answer.status >= 300 && answer.status < 400 ? `redirect not followed (HTTP ${answer.status})` : `HTTP ${answer.status}`;
      return { status: answer.status, error, durationMs };
    } catch (error) {
      return { status: null, error: shortError(error), durationMs: Math.max(0, Math.round(performance.now() - started)) };
    }
  };

  /** Delivers one endpoint while it has due events; answers what it did. */
  const runEndpoint = async (listed: WebhookEndpointRecord, actor: string | null, report: DeliveryReport, pages: EventPages): Promise<Result<void, CxError>> => {
    const token = randomId();
    const claimed = await claim(listed, token);
    if (claimed.isErr()) return err(claimed.error);
    if (!claimed.value) {
      report.skipped += 1;
      return ok(undefined);
    }
    let endpoint: WebhookEndpointRecord = claimed.value.endpoint;
    let newest: { seq: number; attempt: number } | null = claimed.value.newest;
    // The events after `deliveredSeq` read last, consumed while the lease is held: committed
    // events never change, so one read serves up to PAGE deliveries (a read per delivery cost
    // half the runner's time, webhook-delivery.bench.ts).
    let pending: EventRecord[] = [];
    for (;;) {
      const after = endpoint.deliveredSeq;
      pending = pending.filter((event) => event.seq > after);
      if (pending.length === 0) {
        const page = await pages(endpoint.domainId, after);
        if (page.isErr()) {
          await release(endpoint, token);
          return err(page.error);
        }
        pending = page.value;
      }
      if (pending.length === 0) {
        const released = await release(endpoint, token);
        return released.isErr() ? err(released.error) : ok(undefined);
      }
      const held = endpoint;
      const next = pending.find((event) => receivesType(held, event.type));
      if (!next) {
        const lastSeq = pending[pending.length - 1]!.seq;
        const moved = await recordHeld(endpoint, token, { ...stateOf(endpoint), deliveredSeq: Math.max(endpoint.deliveredSeq, lastSeq), leaseUntil: new Date(clock().getTime() + LEASE_MS) }, null);
        if (moved.isErr()) return err(moved.error);
        if (!moved.value) return ok(undefined);
        endpoint = moved.value;
        continue;
      }
      const sending = endpoint;
      const { outcome, recorded, disabled } = await tracedAttempt(sending, next, async () => {
        const outcome = await send(sending, next);
        const now = clock();
        // Failures counted for the retry schedule; `webhooks.enable` starts it over.
        const failures = sending.attempt + 1;
        // Attempts are numbered per event across enables: 1, 2, … (the newest recorded one tells).
        const number = newest && newest.seq === next.seq ? newest.attempt + 1 : 1;
        const made: WebhookAttemptRecord = { endpointId: sending.endpointId, seq: next.seq, attempt: number, at: now, ...outcome };
        const skippedUpTo = Math.max(sending.deliveredSeq, next.seq - 1);
        let disabled = false;
        let recorded: Result<WebhookEndpointRecord | null, CxError>;
        if (outcome.error === null) {
          recorded = await recordHeld(sending, token, { deliveredSeq: next.seq, attempt: 0, nextAttemptAt: null, leaseToken: token, leaseUntil: new Date(now.getTime() + LEASE_MS) }, made);
        } else if (failures <= RETRY_DELAYS_MS.length) {
          const nextAttemptAt = new Date(now.getTime() + RETRY_DELAYS_MS[failures - 1]!);
          recorded = await recordHeld(sending, token, { deliveredSeq: skippedUpTo, attempt: failures, nextAttemptAt, leaseToken: null, leaseUntil: null }, made);
        } else {
          // The last retry failed: the endpoint is disabled, with its event, in a write transaction of the domain.
          disabled = true;
          recorded = await whileHeld(sending, token, async (tx, current) => {
            await hooks(tx).insertAttempt(made);
            await tx.appendEvents([newEvent({ clock, actor }, 'webhook.disabled', null, { endpointId: current.endpointId })]);
            return { ...current, status: 'disabled' as const, deliveredSeq: skippedUpTo, attempt: 0, nextAttemptAt: null, leaseToken: null, leaseUntil: null };
          });
        }
        if (recorded.isOk() && recorded.value) newest = { seq: next.seq, attempt: number };
        return { outcome, recorded, disabled, number };
      });
      if (recorded.isErr()) {
        // The event stays pending: the lease runs out and a runner sends it again.
        return err(recorded.error);
      }
      if (!recorded.value) {
        report.skipped += 1;
        return ok(undefined);
      }
      if (outcome.error === null) {
        report.delivered += 1;
        endpoint = recorded.value;
        continue;
      }
      report.failed += 1;
      if (disabled) report.disabled += 1;
      noteWake(recorded.value.nextAttemptAt);
      return ok(undefined);
    }
  };

  return {
    nextWake: () => earliestWake,
    async runPending(actor) {
      const report: DeliveryReport = { delivered: 0, failed: 0, disabled: 0, skipped: 0 };
      const pages = eventPages(store);
      earliestWake = null;
      if (!store.listDueWebhookEndpoints || !store.transaction) return ok(report);
      let due: WebhookEndpointRecord[];
      try {
        due = await store.listDueWebhookEndpoints(clock(), 1000);
      } catch (cause) {
        return err(storeFailure(cause));
      }
      let failure: CxError | null = null;
      let index = 0;
      const worker = async () => {
        while (index < due.length && !failure) {
          const endpoint = due[index++]!;
          const ran = await runEndpoint(endpoint, actor, report, pages);
          if (ran.isErr()) failure ??= ran.error;
        }
      };
      await Promise.all(Array.from({ length: Math.min(CONCURRENT_ENDPOINTS, due.length) }, worker));
      if (failure) return err(failure);
      // Endpoints waiting for a retry that were not due now: the in-process timer wakes for the earliest.
      try {
        const waiting = await store.listDueWebhookEndpoints(new Date(8.64e15), 1000);
        for (const endpoint of waiting) noteWake(endpoint.nextAttemptAt);
      } catch {
        // Only a hint for the timer.
      }
      return ok(report);
    },
  };
}

/** Events of a domain after a `seq`, in `seq` order (none: none are committed), as one pass of the runner reads them. */
type EventPages = (domainId: string, after: number) => Promise<Result<EventRecord[], CxError>>;

/**
 * Full pages one pass keeps. Endpoints that receive the same types read the same page at about
 * the same time, so a few serve them; keeping two per endpoint held thousands of events long
 * enough to reach V8's old generation, and the heap's peak grew with the backlog
 * (webhook-delivery.bench.ts: 47 → 73 MiB from 10,000 to 100,000 pending; with 4, 46 and 47).
 */
const KEPT_PAGES = 4;

/**
 * Reads events for one pass of the runner in pages of {@link PAGE} that start at a multiple of
 * it, sharing each full page among the endpoints that read it: every endpoint starts after its
 * own `webhook.added`, so pages read from each one's `seq` never matched, and 16 endpoints
 * read and parsed a 100,000-event backlog 16 times (webhook-delivery.bench.ts). A full page
 * holds committed events, which no later commit changes; a short one (the end of the stream)
 * is not kept, so an event committed after it is read anew.
 */
function eventPages(store: Store): EventPages {
  const kept = new Map<string, Promise<Result<EventRecord[], CxError>>>();
  const page = (domainId: string, from: number) => {
    const key = `${domainId}\u0000${from}`;
    const known = kept.get(key);
    if (known) return known;
    const read = readEventsAfter(store, domainId, from, PAGE);
    kept.set(key, read);
    if (kept.size > KEPT_PAGES) kept.delete(kept.keys().next().value!);
    void read.then((events) => {
      if ((events.isErr() || events.value.length < PAGE) && kept.get(key) === read) kept.delete(key);
    });
    return read;
  };
  return async (domainId, after) => {
    const read = await page(domainId, Math.floor(after / PAGE) * PAGE);
    if (read.isErr()) return read;
    const events = read.value.filter((event) => event.seq > after);
    // A full page all at or before `after` (seqs with gaps): read on from `after` itself.
    return events.length > 0 || read.value.length < PAGE ? ok(events) : readEventsAfter(store, domainId, after, PAGE);
  };
}

/** What one delivery attempt came to, for its span. */
type AttemptResult = {
  outcome: { status: number | null; error: string | null; durationMs: number };
  /** The endpoint as recorded, `null` when the lease was lost meanwhile, or the store's failure. */
  recorded: Result<WebhookEndpointRecord | null, CxError>;
  disabled: boolean;
  /** The attempt's number for its event (1, 2, …), 0 when it could not be recorded. */
  number: number;
};

/**
 * Runs one delivery attempt (the POST and its record) in a span `cx.webhooks.deliver` (kind
 * CLIENT) with `cx.domain_id`, `cx.webhook.endpoint_id`, `cx.event.seq`, `cx.event.type` and
 * `server.address` (the URL's host; never its path or query, which may hold a token), and when
 * it ends `cx.webhook.attempt`, `http.response.status_code` (when one came) and
 * `cx.webhook.result`: `delivered`, `retry`, `disabled`, or `lease_lost` (another runner took
 * the endpoint: nothing recorded). A failed attempt sets status `ERROR` with `error.type` — the
 * status code, `blocked_address`, `timeout` or `network` — and the short error; a store that
 * failed recording it is recorded as on an operation's span (`cx.outcome`).
 */
function tracedAttempt(endpoint: WebhookEndpointRecord, event: EventRecord, work: () => Promise<AttemptResult>): Promise<AttemptResult> {
  let host = '';
  try {
    host = new URL(endpoint.url).hostname;
  } catch {
    // Stored URLs were checked when added.
  }
  const attributes = { 'cx.domain_id': endpoint.domainId, 'cx.webhook.endpoint_id': endpoint.endpointId, 'cx.event.seq': event.seq, 'cx.event.type': event.type, 'server.address': host };
  return inSpan('cx.webhooks.deliver', { kind: SpanKind.CLIENT, attributes }, work, (span, { outcome, recorded, disabled, number }) => {
    if (outcome.status !== null) span.setAttribute('http.response.status_code', outcome.status);
    if (number > 0) span.setAttribute('cx.webhook.attempt', number);
    if (recorded.isErr()) {
      recordCxOutcome(span, recorded);
      return;
    }
    const result = recorded.value === null ? 'lease_lost' : outcome.error === null ? 'delivered' : disabled ? 'disabled' : 'retry';
    span.setAttribute('cx.webhook.result', result);
    if (outcome.error !== null) {
      const errorType = outcome.status !== null ? String(outcome.status) : outcome.error === BLOCKED_ADDRESS ? BLOCKED_ADDRESS : outcome.error.startsWith('timeout') ? 'timeout' : 'network';
      markFailed(span, errorType, outcome.error);
    }
  });
}
