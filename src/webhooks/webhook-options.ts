import { err, ok, type Result } from 'neverthrow';
import * as z from 'zod';
import type { CxError } from '../errors.js';
import { parseInput } from '../validation/parse-input.js';

/**
 * A `fetch` the host gives the webhook runner (e.g. one with its own proxy or dispatcher).
 *
 * @category Webhooks
 */
export type WebhookFetch = (url: string, init: { method: 'POST'; headers: Record<string, string>; body: string; redirect: 'manual'; signal: AbortSignal }) => Promise<{
  status: number;
  /** The response body, if any: the runner reads a little of it, then cancels it (a huge body is never read whole). */
  body?: {
    /** Stops reading the body and lets the connection go. */
    cancel(): Promise<void>;
  } | null;
}>;

/**
 * How webhook deliveries run: `createCxAccounts({ …, webhooks: { … } })` (R54, R55).
 *
 * - `runner`: `'in-process'` (default) delivers in the background of this process, woken by
 *   its commits and by a timer for retries; it starts when the `webhooks` option is given or
 *   with the first `webhooks.*` call. `'manual'`: the host calls
 *   `cx.webhooks.runPendingDeliveries()` (a worker, a cron job, `cx-accounts webhooks run`).
 * - `allowHttp`: endpoints may be `http:` URLs (default: `https:` only).
 * - `allowPrivateNetworks`: deliveries may go to loopback, private, link-local, … addresses
 *   (default: refused, recorded as `blocked_address`; for tests and closed networks).
 * - `fetch`: send with the host's `fetch` instead of the built-in sender. The built-in sender on
 *   Node (and Bun, Deno) checks the address it connects to; a `fetch` you give is checked on
 *   the URL's host only when that is an IP address: guarding names is then up to it.
 * - `timeoutMs`: how long an attempt may take, 1–15,000 ms (default 15,000).
 *
 * @example
 * ```ts
 * const cx = createCxAccounts({ store, directory, contactUrlBase, webhooks: { runner: 'manual' } });
 * // in the host's worker, every few seconds:
 * await cx.webhooks.runPendingDeliveries();
 * ```
 *
 * @category Webhooks
 */
export type WebhookOptions = {
  runner?: 'in-process' | 'manual';
  allowHttp?: boolean;
  allowPrivateNetworks?: boolean;
  fetch?: WebhookFetch;
  timeoutMs?: number;
};

/** {@link WebhookOptions} with the defaults filled in (`fetch` stays optional). */
export type ResolvedWebhookOptions = Required<Omit<WebhookOptions, 'fetch'>> & { fetch: WebhookFetch | null; explicit: boolean };

const webhookOptionsSchema = z
  .strictObject({
    runner: z.enum(['in-process', 'manual']).optional(),
    allowHttp: z.boolean().optional(),
    allowPrivateNetworks: z.boolean().optional(),
    fetch: z.custom<WebhookFetch>((value) => typeof value === 'function', 'must be a function').optional(),
    timeoutMs: z.number().int('must be a whole number').min(1).max(15_000).optional(),
  })
  .optional();

/** Checks the `webhooks` option; issues are reported under `options.webhooks`. */
export function resolveWebhookOptions(options: unknown): Result<ResolvedWebhookOptions, CxError> {
  const parsed = parseInput(webhookOptionsSchema, options, 'options.webhooks');
  if (parsed.isErr()) return err(parsed.error);
  const given = parsed.value;
  return ok({
    runner: given?.runner ?? 'in-process',
    allowHttp: given?.allowHttp ?? false,
    allowPrivateNetworks: given?.allowPrivateNetworks ?? false,
    fetch: given?.fetch ?? null,
    timeoutMs: given?.timeoutMs ?? 15_000,
    explicit: given !== undefined,
  });
}
