import { CloudEvent as SdkCloudEvent, HTTP } from 'cloudevents';
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../adapters/memory/memory-store.js';
import { toCloudEvent } from '../../src/index.js';
import type { CxEvent } from '../../src/events/cx-event.js';
import { makeFixture } from '../../testing/conformance-fixture.js';
import { readAllEvents } from '../../testing/conformance/events.js';
import { expectOk } from '../../testing/conformance/expectations.js';
import { seedAccount, seedProduct } from '../../testing/conformance/seed.js';

const accountEvent: CxEvent = {
  seq: 7,
  domainId: 'acme',
  type: 'agents.added',
  accountId: 'help',
  accountUid: '5b0c3c53-0d0e-4c43-9a55-0a3cb0a7d2a1',
  at: new Date('2026-11-25T09:30:00.123Z'),
  actor: 'admin:u1',
  data: { memberIds: ['u2'], gainedAccessIds: ['u2'] },
};

const domainEvent: CxEvent = {
  seq: 1,
  domainId: 'acme',
  type: 'product.set',
  accountId: null,
  accountUid: null,
  at: new Date('2026-11-25T00:00:00.000Z'),
  actor: null,
  data: { productId: 'basic', seatLimit: 3, quantity: 1 },
};

/** Validates with the CloudEvents SDK: the constructor checks the attributes (strict), `validate()` again. */
function sdkValidated(plain: object): SdkCloudEvent<unknown> {
  const event = new SdkCloudEvent(plain as ConstructorParameters<typeof SdkCloudEvent>[0], true);
  expect(event.validate()).toBe(true);
  return event;
}

describe('toCloudEvent', () => {
  it('R56: an account event maps to every attribute R56 names, and the CloudEvents SDK validates it', () => {
    const cloudEvent = toCloudEvent(accountEvent);
    expect(cloudEvent).toEqual({
      specversion: '1.0',
      id: 'acme:7',
      source: 'urn:cx-accounts:acme',
      type: 'cx.agents.added',
      time: '2026-11-25T09:30:00.123Z',
      subject: 'help',
      datacontenttype: 'application/json',
      data: { memberIds: ['u2'], gainedAccessIds: ['u2'] },
      cxdomain: 'acme',
      cxseq: 7,
      cxaccountuid: '5b0c3c53-0d0e-4c43-9a55-0a3cb0a7d2a1',
      cxactor: 'admin:u1',
    });
    const sdk = sdkValidated(cloudEvent);
    expect(sdk.subject).toBe('help');
    expect(sdk['cxseq']).toBe(7);
  });

  it('R56: a domain event has no subject, and extensions whose value is null are left out', () => {
    const cloudEvent = toCloudEvent(domainEvent);
    expect(cloudEvent).not.toHaveProperty('subject');
    expect(cloudEvent).not.toHaveProperty('cxaccountuid');
    expect(cloudEvent).not.toHaveProperty('cxactor');
    sdkValidated(cloudEvent);
  });

  it('R56: source and typePrefix may be given', () => {
    const cloudEvent = toCloudEvent(accountEvent, { source: 'https://cx.example.com/acme', typePrefix: 'com.example.cx.' });
    expect(cloudEvent.source).toBe('https://cx.example.com/acme');
    expect(cloudEvent.type).toBe('com.example.cx.agents.added');
    sdkValidated(cloudEvent);
  });

  it('R56: the structured JSON body parses back with the SDK into the same event', () => {
    const body = JSON.stringify(toCloudEvent(accountEvent));
    const parsed = HTTP.toEvent({ headers: { 'content-type': 'application/cloudevents+json' }, body });
    const single = Array.isArray(parsed) ? parsed[0]! : parsed;
    expect(single.id).toBe('acme:7');
    expect(single.data).toEqual(accountEvent.data);
    expect(single['cxactor']).toBe('admin:u1');
  });

  it('R56: every event a day of operations appends is a valid CloudEvent', async () => {
    const { cx } = makeFixture(memoryStore());
    await seedProduct(cx);
    await seedAccount(cx, { agentIds: ['u1'] });
    expectOk(await cx.as('admin:u1').agents.add('acme', 'help', ['u2']));
    const events = await readAllEvents(cx, 'acme');
    expect(events.length).toBeGreaterThan(2);
    for (const event of events) sdkValidated(toCloudEvent(event));
  });

  it('R56: the input event is not changed, and data is a copy', () => {
    const before = structuredClone(accountEvent);
    const cloudEvent = toCloudEvent(accountEvent);
    (cloudEvent.data as { memberIds: string[] }).memberIds = [];
    expect(accountEvent).toEqual(before);
  });
});
