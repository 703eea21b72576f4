import type { WebhookAttemptRecord, WebhookEndpointRecord, WebhookTransaction } from '../../src/ports/webhook-port.js';

type Undo = () => void;

/** The webhook endpoints and attempts a memory store keeps, as private copies. */
export type MemoryWebhookState = {
  /** `domainId \0 endpointId` → endpoint. */
  endpoints: Map<string, WebhookEndpointRecord>;
  /** `domainId \0 endpointId` → attempts in the order recorded. */
  attempts: Map<string, WebhookAttemptRecord[]>;
};

const key = (domainId: string, endpointId: string) => `${domainId}\u0000${endpointId}`;
const copy = <T>(value: T): T => structuredClone(value);

export function memoryWebhookState(): MemoryWebhookState {
  return { endpoints: new Map(), attempts: new Map() };
}

/** The webhook part of a memory transaction; every change pushes its undo. */
export function memoryWebhookTransaction(state: MemoryWebhookState, domainId: string, undo: Undo[]): WebhookTransaction {
  const put = (record: WebhookEndpointRecord) => {
    const id = key(domainId, record.endpointId);
    const before = state.endpoints.get(id);
    state.endpoints.set(id, copy({ ...record, domainId }));
    undo.push(() => (before ? state.endpoints.set(id, before) : state.endpoints.delete(id)));
  };
  return {
    async insertEndpoint(endpoint) {
      if (state.endpoints.has(key(domainId, endpoint.endpointId))) throw new Error(`webhook endpoint ${endpoint.endpointId} exists`);
      put(endpoint);
    },
    async getEndpoint(endpointId) {
      const found = state.endpoints.get(key(domainId, endpointId));
      return found ? copy(found) : null;
    },
    async listEndpoints() {
      return [...state.endpoints.values()]
        .filter((endpoint) => endpoint.domainId === domainId)
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.endpointId < b.endpointId ? -1 : a.endpointId > b.endpointId ? 1 : 0))
        .map(copy);
    },
    async updateEndpoint(endpoint) {
      const current = state.endpoints.get(key(domainId, endpoint.endpointId));
      if (!current) throw new Error(`no webhook endpoint ${endpoint.endpointId}`);
      put({ ...endpoint, secret: current.secret, createdAt: current.createdAt });
    },
    async deleteEndpoint(endpointId) {
      const id = key(domainId, endpointId);
      const endpoint = state.endpoints.get(id);
      const attempts = state.attempts.get(id);
      state.endpoints.delete(id);
      state.attempts.delete(id);
      undo.push(() => {
        if (endpoint) state.endpoints.set(id, endpoint);
        if (attempts) state.attempts.set(id, attempts);
      });
    },
    async insertAttempt(attempt) {
      const id = key(domainId, attempt.endpointId);
      const list = state.attempts.get(id) ?? [];
      if (list.some((each) => each.seq === attempt.seq && each.attempt === attempt.attempt)) throw new Error('webhook attempt recorded twice');
      state.attempts.set(id, [...list, copy(attempt)]);
      undo.push(() => (list.length > 0 ? state.attempts.set(id, list) : state.attempts.delete(id)));
    },
    async listAttempts(endpointId, after, limit) {
      const newestFirst = [...(state.attempts.get(key(domainId, endpointId)) ?? [])].sort((a, b) => b.seq - a.seq || b.attempt - a.attempt);
      const start = after ? newestFirst.filter((each) => each.seq < after.seq || (each.seq === after.seq && each.attempt < after.attempt)) : newestFirst;
      return start.slice(0, limit).map(copy);
    },
  };
}

/** Any domain: the endpoints due now (see `Store.listDueWebhookEndpoints`). */
export function memoryDueEndpoints(state: MemoryWebhookState, lastSeqOf: (domainId: string) => number, now: Date, limit: number): WebhookEndpointRecord[] {
  const due: WebhookEndpointRecord[] = [];
  for (const endpoint of state.endpoints.values()) {
    if (endpoint.status !== 'active') continue;
    if (endpoint.nextAttemptAt !== null && endpoint.nextAttemptAt > now) continue;
    if (endpoint.leaseToken !== null && endpoint.leaseUntil !== null && endpoint.leaseUntil > now) continue;
    if (lastSeqOf(endpoint.domainId) <= endpoint.deliveredSeq) continue;
    due.push(copy(endpoint));
  }
  due.sort((a, b) => (a.nextAttemptAt?.getTime() ?? 0) - (b.nextAttemptAt?.getTime() ?? 0) || a.createdAt.getTime() - b.createdAt.getTime());
  return due.slice(0, Math.max(0, limit));
}
