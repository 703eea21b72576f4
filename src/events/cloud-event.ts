import type { CxEvent } from './cx-event.js';

/**
 * A {@link CxEvent} as a CloudEvents 1.0 event in structured mode: a plain object that
 * `JSON.stringify` turns into an `application/cloudevents+json` body (R56).
 *
 * The extension attributes `cxdomain`, `cxseq`, `cxaccountuid` and `cxactor` carry what the
 * core attributes do not; an extension whose value is `null` is left out, as CloudEvents asks.
 *
 * @category Events
 */
export type CloudEvent = {
  specversion: '1.0';
  /** `<domainId>:<seq>`: unique per source, and the same on every redelivery. */
  id: string;
  /** Default `urn:cx-accounts:<domainId>`. */
  source: string;
  /** `typePrefix` (default `cx.`) + the event's type, e.g. `cx.agents.added`. */
  type: string;
  /** The event's `at`, RFC 3339 in UTC. */
  time: string;
  /** The account ID; absent for domain-level events. */
  subject?: string;
  datacontenttype: 'application/json';
  data: Record<string, unknown>;
  cxdomain: string;
  cxseq: number;
  /** The account's uid; absent for domain-level events. */
  cxaccountuid?: string;
  /** Who acted (R33); absent for calls on `cx` itself. */
  cxactor?: string;
};

/**
 * Options of {@link toCloudEvent}.
 *
 * @category Events
 */
export type CloudEventOptions = {
  /** The CloudEvent `source` (a URI reference); default `urn:cx-accounts:<domainId>`. */
  source?: string;
  /** Put before the event type in `type`; default `cx.`. */
  typePrefix?: string;
};

/**
 * The CloudEvents 1.0 form of an event (R56): pure, no I/O, runs in any JavaScript runtime.
 * Webhook deliveries send exactly this as their body (R54).
 *
 * @example
 * ```ts
 * import { toCloudEvent } from 'cx-accounts';
 *
 * const page = await cx.events.read('acme', { after: 0, limit: 10 });
 * if (page.isOk()) {
 *   for (const event of page.value.events) {
 *     const cloudEvent = toCloudEvent(event, { source: 'https://cx.example.com/acme' });
 *     console.log(cloudEvent.id, cloudEvent.type); // 'acme:1' 'cx.product.set'
 *   }
 * }
 * ```
 *
 * @category Events
 */
export function toCloudEvent(event: CxEvent, options: CloudEventOptions = {}): CloudEvent {
  const cloudEvent: CloudEvent = {
    specversion: '1.0',
    id: `${event.domainId}:${event.seq}`,
    source: options.source ?? `urn:cx-accounts:${encodeURIComponent(event.domainId)}`,
    type: `${options.typePrefix ?? 'cx.'}${event.type}`,
    time: event.at.toISOString(),
    datacontenttype: 'application/json',
    data: { ...event.data },
    cxdomain: event.domainId,
    cxseq: event.seq,
  };
  if (event.accountId !== null) cloudEvent.subject = event.accountId;
  if (event.accountUid !== null) cloudEvent.cxaccountuid = event.accountUid;
  if (event.actor !== null) cloudEvent.cxactor = event.actor;
  return cloudEvent;
}
