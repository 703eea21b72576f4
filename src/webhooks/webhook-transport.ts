import { blockedAddressReason, parseIpAddress } from './address-guard.js';
import type { WebhookFetch } from './webhook-options.js';

/**
 * One delivery's HTTP request, as the runner hands it to a transport.
 */
export type WebhookRequest = {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  allowPrivateNetworks: boolean;
};

/** What came of a request: the status the receiver answered, or a short reason why none came. */
export type WebhookResponse = { status: number } | { error: string };

/** Sends a delivery; never rejects. */
export type WebhookTransport = (request: WebhookRequest) => Promise<WebhookResponse>;

/** The error recorded for a refused address (R55). */
export const BLOCKED_ADDRESS = 'blocked_address';

/** Whether the URL's host is an IP address the guard refuses (names are checked where they are resolved). */
export function blockedLiteralHost(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return true;
  }
  return parseIpAddress(host) !== null && blockedAddressReason(host) !== null;
}

/** A short text of an error, for an attempt's `error`. */
export function shortError(error: unknown): string {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  const text = typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

/**
 * A transport over a `fetch`: the host's (`webhooks.fetch`), or the runtime's where Node's
 * built-ins are missing (a worker, Deno Deploy). Redirects are not followed; the body is never
 * read (it is cancelled). The guard sees only IP-address hosts here (see `WebhookOptions.fetch`).
 */
export function fetchTransport(fetchFunction: WebhookFetch): WebhookTransport {
  return async (request) => {
    if (!request.allowPrivateNetworks && blockedLiteralHost(request.url)) return { error: BLOCKED_ADDRESS };
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), request.timeoutMs);
    try {
      const response = await fetchFunction(request.url, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        redirect: 'manual',
        signal: controller.signal,
      });
      await response.body?.cancel().catch(() => undefined);
      // A browser answers a redirect it did not follow as status 0 ('opaqueredirect').
      return response.status === 0 ? { error: 'redirect not followed' } : { status: response.status };
    } catch (error) {
      return { error: controller.signal.aborted ? `timeout after ${request.timeoutMs} ms` : shortError(error) };
    } finally {
      clearTimeout(timer);
    }
  };
}
