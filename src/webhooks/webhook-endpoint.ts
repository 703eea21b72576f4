import type { CxEventType } from '../events/cx-event.js';
import type { WebhookEndpointRecord } from '../ports/webhook-port.js';

/**
 * A webhook endpoint (R53): where a domain's events are POSTed, signed with `secret`.
 *
 * @category Webhooks
 */
export type WebhookEndpoint = {
  id: string;
} & Pick<WebhookEndpointRecord, 'url' | 'types' | 'description' | 'secret' | 'status' | 'createdAt'>;

/** Every event type a webhook may ask for (R31), checked at run time. */
export const EVENT_TYPES = [
  'product.set', 'account.created', 'account.updated', 'account.product_changed', 'account.reset', 'agents.added',
  'agents.removed', 'settings.updated', 'holiday.added', 'holiday.removed', 'contact.added', 'message.received',
  'auto_reply.sent', 'message.sent', 'room.opened', 'bot.registered', 'bot.attached', 'bot.removed', 'member.departed',
  'customer.erased', 'backup.requested', 'backup.ready', 'backup.failed', 'backup.cancelled',
  'webhook.added', 'webhook.removed', 'webhook.disabled', 'webhook.enabled',
] as const satisfies readonly CxEventType[];

/** The endpoint as answered. */
export function viewWebhookEndpoint(record: WebhookEndpointRecord): WebhookEndpoint {
  return {
    id: record.endpointId,
    url: record.url,
    types: record.types ? [...record.types] : null,
    description: record.description,
    secret: record.secret,
    status: record.status,
    createdAt: new Date(record.createdAt),
  };
}

/** Whether an endpoint receives events of this type. */
export function receivesType(record: Pick<WebhookEndpointRecord, 'types'>, type: string): boolean {
  return record.types === null || record.types.includes(type);
}

/** Random bytes in a webhook secret: Standard Webhooks asks for 24 to 64. */
const SECRET_BYTES = 32;

/**
 * A new secret in the Standard Webhooks format: `whsec_` + base64 of random bytes, from
 * `crypto.getRandomValues` (which every runtime has, also a page served over plain `http:`).
 */
export function newWebhookSecret(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(SECRET_BYTES));
  return `whsec_${toBase64(bytes)}`;
}

/** Standard base64 (with padding) of bytes, without Node's Buffer. */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The key bytes of a `whsec_` secret. */
export function secretKeyBytes(secret: string): Uint8Array {
  const binary = atob(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret);
  return Uint8Array.from(binary, (character) => character.charCodeAt(0));
}

/** Longest URL an endpoint may have (R53). */
export const MAX_WEBHOOK_URL = 2000;

/**
 * What is wrong with an endpoint URL, or `null` (R53): absolute `https:` (or `http:` when the
 * host allows it), at most 2,000 characters, no credentials, no whitespace or control
 * characters, a host name.
 */
export function webhookUrlProblem(url: string, allowHttp: boolean): string | null {
  if (url.length > MAX_WEBHOOK_URL) return `at most ${MAX_WEBHOOK_URL} characters, got ${url.length}`;
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/u.test(url)) return 'must not contain whitespace or control characters';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be an absolute URL, e.g. https://hooks.example.com/cx';
  }
  if (parsed.protocol !== 'https:' && !(allowHttp && parsed.protocol === 'http:')) {
    return allowHttp ? 'must be an https: or http: URL' : 'must be an https: URL (set webhooks.allowHttp to allow http:)';
  }
  if (parsed.username !== '' || parsed.password !== '' || /^[a-z]+:\/\/[^/?#]*@/i.test(url)) return 'must not contain credentials (user:password@)';
  if (parsed.hostname === '') return 'must name a host';
  return null;
}
