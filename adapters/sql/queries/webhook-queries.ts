import type { Compilable, Kysely, QueryResult } from 'kysely';
import type { WebhookAttemptRecord, WebhookDeliveryState, WebhookEndpointRecord, WebhookStatus, WebhookTransaction } from '../../../src/ports/webhook-port.js';
import type { CxDatabase } from '../cx-database.js';
import { toDate, toDateOrNull, toMillis, toMillisOrNull, toNumber } from './row-values.js';
import type { Exclusive } from './exclusive.js';
import { queryShape } from './prepared-queries.js';

type Numeric = number | string | bigint;

/** The webhook tables of migration 0007 (R53, R54). */
export type WebhookTables = {
  cx_webhook_endpoints: {
    domain_id: string;
    endpoint_id: string;
    url: string;
    /** JSON array of event types; `null`: every type. */
    types: string | null;
    description: string | null;
    secret: string;
    status: string;
    created_at: Numeric;
    delivered_seq: Numeric;
    attempt: Numeric;
    next_attempt_at: Numeric | null;
    lease_token: string | null;
    lease_until: Numeric | null;
  };
  cx_webhook_attempts: {
    domain_id: string;
    endpoint_id: string;
    seq: Numeric;
    attempt: Numeric;
    at: Numeric;
    status: Numeric | null;
    error: string | null;
    duration_ms: Numeric;
  };
  cx_domains: CxDatabase['cx_domains'];
};

type EndpointRow = WebhookTables['cx_webhook_endpoints'];
type AttemptRow = WebhookTables['cx_webhook_attempts'];

function toStatus(value: string): WebhookStatus {
  if (value === 'active' || value === 'disabled') return value;
  throw new Error(`cx_webhook_endpoints holds an unknown status ${JSON.stringify(value)}`);
}

function parseTypes(value: string | null): string[] | null {
  if (value === null) return null;
  const parsed: unknown = JSON.parse(value);
  if (!Array.isArray(parsed) || !parsed.every((type) => typeof type === 'string')) throw new Error('cx_webhook_endpoints.types is not a JSON array of strings');
  return parsed;
}

export function rowToEndpoint(row: EndpointRow): WebhookEndpointRecord {
  return {
    domainId: row.domain_id,
    endpointId: row.endpoint_id,
    url: row.url,
    types: parseTypes(row.types),
    description: row.description,
    secret: row.secret,
    status: toStatus(row.status),
    createdAt: toDate(row.created_at),
    deliveredSeq: toNumber(row.delivered_seq),
    attempt: toNumber(row.attempt),
    nextAttemptAt: toDateOrNull(row.next_attempt_at),
    leaseToken: row.lease_token,
    leaseUntil: toDateOrNull(row.lease_until),
  };
}

/** The columns an update of an endpoint writes (not its keys, secret or createdAt). */
function changedColumns(endpoint: WebhookEndpointRecord) {
  return {
    url: endpoint.url,
    types: endpoint.types === null ? null : JSON.stringify(endpoint.types),
    description: endpoint.description,
    status: endpoint.status,
    delivered_seq: endpoint.deliveredSeq,
    attempt: endpoint.attempt,
    next_attempt_at: toMillisOrNull(endpoint.nextAttemptAt),
    lease_token: endpoint.leaseToken,
    lease_until: toMillisOrNull(endpoint.leaseUntil),
  };
}

function attemptToRow(domainId: string, attempt: WebhookAttemptRecord): AttemptRow {
  return {
    domain_id: domainId,
    endpoint_id: attempt.endpointId,
    seq: attempt.seq,
    attempt: attempt.attempt,
    at: toMillis(attempt.at),
    status: attempt.status,
    error: attempt.error,
    duration_ms: attempt.durationMs,
  };
}

function rowToAttempt(row: AttemptRow): WebhookAttemptRecord {
  return {
    endpointId: row.endpoint_id,
    seq: toNumber(row.seq),
    attempt: toNumber(row.attempt),
    at: toDate(row.at),
    status: row.status === null ? null : toNumber(row.status),
    error: row.error,
    durationMs: toNumber(row.duration_ms),
  };
}

/** Runs one statement in the transaction (the store's guard records a failure). */
export type RunStatement = (query: Compilable<unknown>) => Promise<QueryResult<unknown>>;

/**
 * The webhook part of a SQL transaction, bound to its domain: plain statements on the two
 * tables of migration 0007, run on the transaction's connection.
 */
export function sqlWebhookTransaction(cxDb: Kysely<CxDatabase>, domainId: string, run: RunStatement): WebhookTransaction {
  const db = cxDb.withTables<WebhookTables>();
  const rows = async <R>(query: Compilable<R>) => (await run(query)).rows as R[];
  return {
    async insertEndpoint(endpoint) {
      await run(
        db.insertInto('cx_webhook_endpoints').values({
          domain_id: domainId,
          endpoint_id: endpoint.endpointId,
          secret: endpoint.secret,
          created_at: toMillis(endpoint.createdAt),
          ...changedColumns(endpoint),
        }),
      );
    },
    async getEndpoint(endpointId) {
      const [row] = await rows(db.selectFrom('cx_webhook_endpoints').selectAll().where('domain_id', '=', domainId).where('endpoint_id', '=', endpointId));
      return row ? rowToEndpoint(row) : null;
    },
    async listEndpoints() {
      const found = await rows(db.selectFrom('cx_webhook_endpoints').selectAll().where('domain_id', '=', domainId).orderBy('created_at').orderBy('endpoint_id'));
      return found.map(rowToEndpoint);
    },
    async updateEndpoint(endpoint) {
      const result = await run(
        db.updateTable('cx_webhook_endpoints').set(changedColumns(endpoint)).where('domain_id', '=', domainId).where('endpoint_id', '=', endpoint.endpointId),
      );
      if (result.numAffectedRows !== undefined && Number(result.numAffectedRows) === 0) {
        // MySQL counts changed rows only: an update that changes nothing is no missing row there.
        const [row] = await rows(db.selectFrom('cx_webhook_endpoints').select('endpoint_id').where('domain_id', '=', domainId).where('endpoint_id', '=', endpoint.endpointId));
        if (!row) throw new Error(`no webhook endpoint ${endpoint.endpointId}`);
      }
    },
    async deleteEndpoint(endpointId) {
      // The endpoint's row first: a runner recording an attempt outside the domain's lock
      // (recordWebhookDelivery) holds that row until it commits, so this waits for it, and the
      // attempts deleted next include the one it recorded.
      await run(db.deleteFrom('cx_webhook_endpoints').where('domain_id', '=', domainId).where('endpoint_id', '=', endpointId));
      await run(db.deleteFrom('cx_webhook_attempts').where('domain_id', '=', domainId).where('endpoint_id', '=', endpointId));
    },
    async insertAttempt(attempt) {
      await run(db.insertInto('cx_webhook_attempts').values(attemptToRow(domainId, attempt)));
    },
    async listAttempts(endpointId, after, limit) {
      let query = db
        .selectFrom('cx_webhook_attempts')
        .selectAll()
        .where('domain_id', '=', domainId)
        .where('endpoint_id', '=', endpointId);
      if (after) {
        query = query.where((eb) => eb.or([eb('seq', '<', after.seq), eb.and([eb('seq', '=', after.seq), eb('attempt', '<', after.attempt)])]));
      }
      const found = await rows(query.orderBy('seq', 'desc').orderBy('attempt', 'desc').limit(limit));
      return found.map(rowToAttempt);
    },
  };
}

/** Any domain: the endpoints due now (see `Store.listDueWebhookEndpoints`), at most `limit`. */
export async function listDueWebhookEndpoints(cxDb: Kysely<CxDatabase>, exclusive: Exclusive, now: Date, limit: number): Promise<WebhookEndpointRecord[]> {
  const db = cxDb.withTables<WebhookTables>();
  const at = toMillis(now);
  const count = Math.max(0, Math.min(10_000, Math.floor(limit)));
  if (count === 0) return [];
  const found = await exclusive(() =>
    db
      .selectFrom('cx_webhook_endpoints as w')
      .innerJoin('cx_domains as d', 'd.domain_id', 'w.domain_id')
      .selectAll('w')
      .where('w.status', '=', 'active')
      .where((eb) => eb.or([eb('w.next_attempt_at', 'is', null), eb('w.next_attempt_at', '<=', at)]))
      .where((eb) => eb.or([eb('w.lease_until', 'is', null), eb('w.lease_until', '<=', at)]))
      .whereRef('d.last_seq', '>', 'w.delivered_seq')
      .orderBy('w.next_attempt_at')
      .orderBy('w.created_at')
      .limit(count)
      .execute(),
  );
  return found.map(rowToEndpoint);
}

/**
 * The statements of a delivery runner's record of where an endpoint it holds stands, with the
 * attempt it made (see `Store.recordWebhookDelivery`, run by `SqlStoreTransaction` in a
 * transaction that does not take the domain's lock).
 *
 * The update comes first and names the lease: it locks the endpoint's row (PostgreSQL, MySQL)
 * or the file (SQLite) until commit, and changes nothing when the endpoint is gone, disabled
 * or held by another token; only then is the attempt inserted. A write transaction of the
 * domain that changes the endpoint (a claim, `webhooks.enable`, `webhooks.remove`) waits for
 * that row, and this waits for it. A claim reads the endpoint before it writes it, so one
 * that takes over an endpoint whose lease ran out can write back the `deliveredSeq` it read
 * over the last record of the runner that lost it: the event is sent again (at least once).
 *
 * Arguments: delivered_seq, attempt, next_attempt_at, lease_token, lease_until; then domain,
 * endpoint, the lease's token.
 */
export const UPDATE_HELD_ENDPOINT = queryShape('updateHeldEndpoint', (q, [deliveredSeq, attempt, nextAttemptAt, newToken, leaseUntil, domain, endpoint, token]) =>
  q
    .withTables<WebhookTables>()
    .updateTable('cx_webhook_endpoints')
    .set({ delivered_seq: deliveredSeq, attempt, next_attempt_at: nextAttemptAt, lease_token: newToken, lease_until: leaseUntil })
    .where('domain_id', '=', domain)
    .where('endpoint_id', '=', endpoint)
    .where('lease_token', '=', token)
    .where('status', '=', 'active'),
);

/** Whether the lease's token holds the active endpoint. Arguments: domain, endpoint, the lease's token. */
export const FIND_HELD_ENDPOINT = queryShape('findHeldEndpoint', (q, [domain, endpoint, token]) =>
  q
    .withTables<WebhookTables>()
    .selectFrom('cx_webhook_endpoints')
    .select('endpoint_id')
    .where('domain_id', '=', domain)
    .where('endpoint_id', '=', endpoint)
    .where('lease_token', '=', token)
    .where('status', '=', 'active'),
);

/** Arguments: domain, endpoint, seq, attempt, at, status, error, duration (see {@link attemptArguments}). */
export const INSERT_ATTEMPT = queryShape('insertAttempt', (q, [domain, endpoint, seq, attempt, at, status, error, durationMs]) =>
  q
    .withTables<WebhookTables>()
    .insertInto('cx_webhook_attempts')
    .values({ domain_id: domain, endpoint_id: endpoint, seq, attempt, at, status, error, duration_ms: durationMs }),
);

/** The arguments of {@link UPDATE_HELD_ENDPOINT}. */
export function heldEndpointArguments(domainId: string, endpointId: string, leaseToken: string, state: WebhookDeliveryState): unknown[] {
  return [state.deliveredSeq, state.attempt, toMillisOrNull(state.nextAttemptAt), state.leaseToken, toMillisOrNull(state.leaseUntil), domainId, endpointId, leaseToken];
}

/** The arguments of {@link INSERT_ATTEMPT}. */
export function attemptArguments(domainId: string, attempt: WebhookAttemptRecord): unknown[] {
  const row = attemptToRow(domainId, attempt);
  return [row.domain_id, row.endpoint_id, row.seq, row.attempt, row.at, row.status, row.error, row.duration_ms];
}
