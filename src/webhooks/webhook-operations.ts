import { err, ok, type ResultAsync } from 'neverthrow';
import * as z from 'zod';
import { configInvalid, invalid, notFound, type CxError } from '../errors.js';
import { newEvent } from '../events/new-event.js';
import type { OperationContext } from '../operation-context.js';
import { narrowed, type OperationError } from '../operation-errors.js';
import type { StoreTransaction } from '../ports/store.js';
import type { WebhookAttemptPosition, WebhookAttemptRecord, WebhookEndpointRecord, WebhookTransaction } from '../ports/webhook-port.js';
import { randomId } from '../random-id.js';
import { runOperation } from '../run-operation.js';
import { detached } from '../telemetry/in-span.js';
import { transact } from '../run-transaction.js';
import { domainIdSchema, opaqueId } from '../validation/identifiers.js';
import { parseInput } from '../validation/parse-input.js';
import { deliveryRunner, type DeliveryReport, type DeliveryRunner } from './delivery-runner.js';
import { EVENT_TYPES, newWebhookSecret, viewWebhookEndpoint, webhookUrlProblem, type WebhookEndpoint } from './webhook-endpoint.js';
import type { ResolvedWebhookOptions } from './webhook-options.js';
import { nodeTransport } from './node-transport.js';
import { fetchTransport, type WebhookTransport } from './webhook-transport.js';

export type { DeliveryReport } from './delivery-runner.js';

/**
 * One delivery attempt (R53).
 *
 * @category Webhooks
 */
export type WebhookDelivery = Omit<WebhookAttemptRecord, 'endpointId'>;

/**
 * What `webhooks.add` takes (R53).
 *
 * @category Webhooks
 */
export type AddWebhookInput = {
  /** Absolute `https:` URL (or `http:` with `webhooks.allowHttp`), at most 2,000 characters, no credentials. */
  url: string;
  /** Event types it receives (R31); default every type. */
  types?: string[];
  /** At most 500 characters. */
  description?: string;
};

/**
 * The `webhooks` operations (R53, R54): endpoints that receive a domain's events, signed
 * (Standard Webhooks) and in CloudEvents 1.0 form, in `seq` order, retried when they fail.
 *
 * @category Webhooks
 */
export type WebhookOperations = {
  /**
   * Adds an endpoint; answers it with its `secret` (keep it: the receiver verifies with it).
   * It receives the events appended after its own `webhook.added`.
   *
   * @example
   * ```ts
   * const added = await cx.webhooks.add('acme', { url: 'https://hooks.example.com/cx', types: ['message.received'] });
   * added.match(
   *   (endpoint) => console.log(endpoint.id, endpoint.secret),
   *   (error) => console.error(error.message),
   * );
   * ```
   *
   * @errors
   * - `validation`: `domainId` or the endpoint is malformed: a URL that is not absolute `https:`
   *   (or `http:` with `webhooks.allowHttp`), longer than 2,000 characters or with credentials; an
   *   unknown event type in `types`; a description too long. Also when the store keeps no webhooks.
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  add(domainId: string, input: AddWebhookInput): ResultAsync<WebhookEndpoint, OperationError<'webhooks.add'>>;
  /**
   * The domain's endpoints, oldest first.
   *
   * @example
   * ```ts
   * const endpoints = await cx.webhooks.list('acme');
   * if (endpoints.isOk()) for (const endpoint of endpoints.value) console.log(endpoint.url, endpoint.status);
   * ```
   *
   * @errors
   * - `validation`: `domainId` is malformed, or the store keeps no webhooks.
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  list(domainId: string): ResultAsync<WebhookEndpoint[], OperationError<'webhooks.list'>>;
  /**
   * Removes an endpoint and its delivery records (`not_found`, entity `webhook`, for an
   * unknown id or another domain's).
   *
   * @example
   * ```ts
   * const removed = await cx.webhooks.remove('acme', endpointId);
   * if (removed.isErr()) console.error(removed.error.message);
   * ```
   *
   * @errors
   * - `validation`: `domainId` or `endpointId` is malformed.
   * - `not_found`: the domain has no endpoint with this id (`entity: 'webhook'`).
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  remove(domainId: string, endpointId: string): ResultAsync<void, OperationError<'webhooks.remove'>>;
  /**
   * Makes a `disabled` endpoint `active` again: delivery resumes with the first event it has
   * not received. An `active` endpoint is answered unchanged.
   *
   * @example
   * ```ts
   * const enabled = await cx.webhooks.enable('acme', endpointId);
   * if (enabled.isOk()) console.log(enabled.value.status); // 'active'
   * ```
   *
   * @errors
   * - `validation`: `domainId` or `endpointId` is malformed.
   * - `not_found`: the domain has no endpoint with this id (`entity: 'webhook'`).
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  enable(domainId: string, endpointId: string): ResultAsync<WebhookEndpoint, OperationError<'webhooks.enable'>>;
  /**
   * A page of an endpoint's delivery attempts, newest first (`limit` 1–500, default 100).
   *
   * @example
   * ```ts
   * const page = await cx.webhooks.deliveries('acme', endpointId, { limit: 20 });
   * if (page.isOk()) for (const attempt of page.value.items) console.log(attempt.seq, attempt.status, attempt.error);
   * ```
   *
   * @errors
   * - `validation`: `domainId`, `endpointId`, `limit` or `cursor` is malformed.
   * - `not_found`: the domain has no endpoint with this id (`entity: 'webhook'`).
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  deliveries(
    domainId: string,
    endpointId: string,
    options?: { limit?: number; cursor?: string },
  ): ResultAsync<{ items: WebhookDelivery[]; nextCursor: string | null }, OperationError<'webhooks.deliveries'>>;
  /**
   * Delivers what is due now, on every domain, and answers what it did (for `runner: 'manual'`;
   * works with either). Through `cx.as(actor)`, the `webhook.disabled` events it appends carry
   * that actor (R33).
   *
   * @example
   * ```ts
   * const report = await cx.webhooks.runPendingDeliveries();
   * if (report.isOk()) console.log(`${report.value.delivered} delivered, ${report.value.failed} failed`);
   * ```
   *
   * @errors
   * - `validation`: the store keeps no webhooks.
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  runPendingDeliveries(): ResultAsync<DeliveryReport, OperationError<'webhooks.runPendingDeliveries'>>;
};

const endpointIdSchema = opaqueId('webhook id', 64);
const eventTypeSchema = z.string().refine((value) => (EVENT_TYPES as readonly string[]).includes(value), {
  message: `must be an event type: ${EVENT_TYPES.join(', ')}`,
});
const addSchema = z.strictObject({
  url: z.string(),
  types: z.array(eventTypeSchema).min(1, 'at least one type (leave it out for every type)').max(EVENT_TYPES.length).optional(),
  description: z.string().max(500, 'at most 500 characters').optional(),
});
const deliveriesSchema = z
  .strictObject({
    limit: z.number().int('must be a whole number').min(1).max(500).optional(),
    cursor: z.string().max(200).optional(),
  })
  .optional();

/** The deliveries cursor: where the previous page ended. */
function encodeCursor(position: WebhookAttemptPosition): string {
  return `d${position.seq}.${position.attempt}`;
}
function decodeCursor(cursor: string): WebhookAttemptPosition | null {
  const match = /^d(\d{1,16})\.(\d{1,6})$/.exec(cursor);
  if (!match) return null;
  const seq = Number(match[1]);
  return Number.isSafeInteger(seq) ? { seq, attempt: Number(match[2]) } : null;
}

/** What `cx` and every `cx.as(…)` share: one runner, one background loop. */
export type WebhookShared = { runner: DeliveryRunner; background: InProcessDelivery | null; transport: () => Promise<WebhookTransport> };

export function webhookShared(context: OperationContext, options: ResolvedWebhookOptions): WebhookShared {
  let loaded: Promise<WebhookTransport> | null = null;
  const transport = () =>
    (loaded ??= (async () => {
      if (options.fetch) return fetchTransport(options.fetch);
      const node = await nodeTransport();
      if (node) return node;
      return fetchTransport((url, init) => globalThis.fetch(url, init));
    })());
  const runner = deliveryRunner(context.store, context.clock, { transport, allowPrivateNetworks: options.allowPrivateNetworks, timeoutMs: options.timeoutMs });
  const background = options.runner === 'in-process' ? inProcessDelivery(context, runner) : null;
  if (background && options.explicit) background.start();
  return { runner, background, transport };
}

export function webhookOperations(context: OperationContext, options: ResolvedWebhookOptions, shared: WebhookShared): WebhookOperations {
  const { store } = context;
  const storeHooks = (tx: StoreTransaction): WebhookTransaction | null => (typeof tx.webhooks === 'function' ? tx.webhooks() : null);
  const unsupported = () => configInvalid([{ path: 'options.store', message: 'this store does not keep webhooks (its transactions have no webhooks())' }]);
  /** Runs `work` with the webhook part of the store; starts the in-process runner on first use. */
  const withHooks = <T>(domainId: string, mode: 'read' | 'write', work: (hooks: WebhookTransaction, tx: StoreTransaction) => Promise<import('neverthrow').Result<T, CxError>>) => {
    shared.background?.start();
    return transact<T>(store, domainId, mode, async (tx) => {
      const hooks = storeHooks(tx);
      if (!hooks) return err(unsupported());
      return work(hooks, tx);
    });
  };
  const found = async (hooks: WebhookTransaction, endpointId: string) => {
    const endpoint = await hooks.getEndpoint(endpointId);
    return endpoint ? ok(endpoint) : err(notFound('webhook', endpointId));
  };

  return narrowed<WebhookOperations>({
    add: (domainId, input) =>
      runOperation(async (take) => {
        const domain = take(parseInput(domainIdSchema, domainId, 'domainId'));
        const parsed = take(parseInput(addSchema, input, 'input'));
        const problem = webhookUrlProblem(parsed.url, options.allowHttp);
        if (problem) return err(invalid('url', problem));
        const types = parsed.types ? [...new Set(parsed.types)] : null;
        return withHooks(domain, 'write', async (hooks, tx) => {
          const endpointId = randomId();
          const [seq] = await tx.appendEvents([newEvent(context, 'webhook.added', null, { endpointId })]);
          const record: WebhookEndpointRecord = {
            domainId: domain,
            endpointId,
            url: parsed.url,
            types,
            description: parsed.description ?? null,
            secret: newWebhookSecret(),
            status: 'active',
            createdAt: context.clock(),
            // Its own webhook.added is not sent to it (R54).
            deliveredSeq: seq!,
            attempt: 0,
            nextAttemptAt: null,
            leaseToken: null,
            leaseUntil: null,
          };
          await hooks.insertEndpoint(record);
          return ok(viewWebhookEndpoint(record));
        });
      }),
    list: (domainId) =>
      runOperation(async (take) => {
        const domain = take(parseInput(domainIdSchema, domainId, 'domainId'));
        return withHooks(domain, 'read', async (hooks) => ok((await hooks.listEndpoints()).map(viewWebhookEndpoint)));
      }),
    remove: (domainId, endpointId) =>
      runOperation(async (take) => {
        const domain = take(parseInput(domainIdSchema, domainId, 'domainId'));
        const id = take(parseInput(endpointIdSchema, endpointId, 'endpointId'));
        return withHooks(domain, 'write', async (hooks, tx) => {
          const endpoint = await found(hooks, id);
          if (endpoint.isErr()) return err(endpoint.error);
          await hooks.deleteEndpoint(id);
          await tx.appendEvents([newEvent(context, 'webhook.removed', null, { endpointId: id })]);
          return ok(undefined);
        });
      }),
    enable: (domainId, endpointId) =>
      runOperation(async (take) => {
        const domain = take(parseInput(domainIdSchema, domainId, 'domainId'));
        const id = take(parseInput(endpointIdSchema, endpointId, 'endpointId'));
        const enabled = await withHooks(domain, 'write', async (hooks, tx) => {
          const endpoint = await found(hooks, id);
          if (endpoint.isErr()) return err(endpoint.error);
          if (endpoint.value.status === 'active') return ok(viewWebhookEndpoint(endpoint.value));
          const next: WebhookEndpointRecord = { ...endpoint.value, status: 'active', attempt: 0, nextAttemptAt: null, leaseToken: null, leaseUntil: null };
          await hooks.updateEndpoint(next);
          await tx.appendEvents([newEvent(context, 'webhook.enabled', null, { endpointId: id })]);
          return ok(viewWebhookEndpoint(next));
        });
        if (enabled.isOk()) shared.background?.poke();
        return enabled;
      }),
    deliveries: (domainId, endpointId, options) =>
      runOperation(async (take) => {
        const domain = take(parseInput(domainIdSchema, domainId, 'domainId'));
        const id = take(parseInput(endpointIdSchema, endpointId, 'endpointId'));
        const parsed = take(parseInput(deliveriesSchema, options, 'options'));
        let after: WebhookAttemptPosition | null = null;
        if (parsed?.cursor !== undefined) {
          after = decodeCursor(parsed.cursor);
          if (!after) return err(invalid('options.cursor', 'is not a cursor returned by webhooks.deliveries'));
        }
        const limit = parsed?.limit ?? 100;
        return withHooks(domain, 'read', async (hooks) => {
          const endpoint = await found(hooks, id);
          if (endpoint.isErr()) return err(endpoint.error);
          const rows = await hooks.listAttempts(id, after, limit + 1);
          const items = rows.slice(0, limit).map(({ seq, attempt, at, status, error, durationMs }) => ({ seq, attempt, at, status, error, durationMs }));
          const last = items[items.length - 1];
          return ok({ items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null });
        });
      }),
    runPendingDeliveries: () =>
      runOperation(async () => {
        if (!store.listDueWebhookEndpoints) return err(unsupported());
        return shared.runner.runPending(context.actor);
      }),
  });
}

type InProcessDelivery = ReturnType<typeof inProcessDelivery>;

/** Longest the in-process runner sleeps between passes when nothing wakes it (other processes' commits). */
const IDLE_PASS_MS = 1_000;

/**
 * The in-process runner: passes of `runPending`, one at a time, started by the retry timer,
 * by `webhooks.enable`, and at least every {@link IDLE_PASS_MS} (so a new event goes out within
 * about a second; commits do not wake it). Its timers do not keep the process alive; a closed
 * store stops it.
 */
function inProcessDelivery(context: OperationContext, runner: DeliveryRunner) {
  let started = false;
  let running = false;
  let again = false;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const schedule = (ms: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    // Outside the span of the call that started it: a pass's delivery spans are roots linked to it.
    timer = setTimeout(detached(() => void pass()), Math.max(0, ms));
    (timer as { unref?: () => void }).unref?.();
  };
  const pass = async () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        const result = await runner.runPending(null).catch((cause: unknown) => err(configInvalid([{ path: 'runner', message: String(cause) }])));
        if (result.isErr() && result.error.code === 'store_failure' && /closed/.test(result.error.message)) {
          stopped = true;
          return;
        }
      } while (again && !stopped);
    } finally {
      running = false;
    }
    const wake = runner.nextWake();
    const untilWake = wake ? wake.getTime() - context.clock().getTime() : IDLE_PASS_MS;
    schedule(Math.min(IDLE_PASS_MS, untilWake));
  };
  return {
    start() {
      if (started) return;
      started = true;
      schedule(0);
    },
    poke() {
      if (started) schedule(0);
    },
  };
}
