import type { WebhookAttemptRecord, WebhookDeliveryState, WebhookEndpointRecord, WebhookTransaction } from '../../src/ports/webhook-port.js';

type Undo = () => void;

/** The webhook endpoints and attempts a memory store keeps, as private copies. */
export type MemoryWebhookState = {
  /** `domainId \0 endpointId` → endpoint. */
  endpoints: Map<string, WebhookEndpointRecord>;
  /** `domainId \0 endpointId` → attempts, oldest `(seq, attempt)` first. */
  attempts: Map<string, WebhookAttemptRecord[]>;
};

const key = (domainId: string, endpointId: string) => `${domainId}\u0000${endpointId}`;
const copy = <T>(value: T): T => structuredClone(value);
/** Orders attempts by `seq`, then `attempt`. */
const byPosition = (a: { seq: number; attempt: number }, b: { seq: number; attempt: number }) => a.seq - b.seq || a.attempt - b.attempt;

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
      let list = state.attempts.get(id);
      if (!list) {
        list = [];
        state.attempts.set(id, list);
      }
      // Kept in (seq, attempt) order, changed in place: a new attempt goes last (a copy of the
      // whole list per attempt made a long delivery run quadratic, webhook-delivery.bench.ts).
      let at = list.length;
      while (at > 0 && byPosition(list[at - 1]!, attempt) > 0) at--;
      if (at > 0 && byPosition(list[at - 1]!, attempt) === 0) throw new Error('webhook attempt recorded twice');
      const stored = copy(attempt);
      list.splice(at, 0, stored);
      const held = list;
      undo.push(() => {
        const index = held.indexOf(stored);
        if (index >= 0) held.splice(index, 1);
        if (held.length === 0 && state.attempts.get(id) === held) state.attempts.delete(id);
      });
    },
    async listAttempts(endpointId, after, limit) {
      const list = state.attempts.get(key(domainId, endpointId)) ?? [];
      const newestFirst: WebhookAttemptRecord[] = [];
      for (let index = list.length - 1; index >= 0 && newestFirst.length < limit; index--) {
        const each = list[index]!;
        if (after && byPosition(each, after) >= 0) continue;
        newestFirst.push(copy(each));
      }
      return newestFirst;
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

/** `Store.recordWebhookDelivery` on the memory store (the caller runs it in the store's queue). */
export async function recordMemoryDelivery(
  state: MemoryWebhookState,
  domainId: string,
  endpointId: string,
  leaseToken: string,
  delivery: WebhookDeliveryState,
  attempt: WebhookAttemptRecord | null,
): Promise<boolean> {
  const current = state.endpoints.get(key(domainId, endpointId));
  if (!current || current.status !== 'active' || current.leaseToken !== leaseToken) return false;
  const hooks = memoryWebhookTransaction(state, domainId, []);
  if (attempt) await hooks.insertAttempt({ ...attempt, endpointId });
  await hooks.updateEndpoint({
    ...current,
    deliveredSeq: delivery.deliveredSeq,
    attempt: delivery.attempt,
    nextAttemptAt: delivery.nextAttemptAt,
    leaseToken: delivery.leaseToken,
    leaseUntil: delivery.leaseUntil,
  });
  return true;
}
