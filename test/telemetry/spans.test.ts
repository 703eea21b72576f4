import { SpanStatusCode, trace } from '@opentelemetry/api';
import { err } from 'neverthrow';
import { storeFailure } from '../../src/errors.js';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { memoryStore } from '../../adapters/memory/memory-store.js';
import { makeFixture } from '../../testing/conformance-fixture.js';
import { seedAccount, seedProduct } from '../../testing/conformance/seed.js';

const exporter = new InMemorySpanExporter();

describe('telemetry: one OpenTelemetry span per operation', () => {
  beforeAll(() => {
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  });
  afterAll(() => {
    trace.disable();
  });
  beforeEach(() => exporter.reset());

  it('names each span cx.<group>.<operation>, with the domain and the outcome, and no personal data', async () => {
    const { cx } = makeFixture(memoryStore());
    await seedProduct(cx, { seatLimit: 1 });
    await seedAccount(cx, { agentIds: ['u1'] });
    await cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: 'Secret Customer', channel: 'line' });
    await cx.conversations.receiveMessage('acme', 'help', { customerId: 'c1', content: 'secret words', channel: 'line' });
    await cx.as('admin:u9').agents.add('acme', 'help', ['u2']);
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => span.name)).toEqual([
      'cx.products.set',
      'cx.accounts.create',
      'cx.conversations.addContact',
      'cx.conversations.receiveMessage',
      'cx.agents.add',
    ]);
    expect(spans.every((span) => span.attributes['cx.domain_id'] === 'acme')).toBe(true);
    expect(spans.map((span) => span.attributes['cx.outcome'])).toEqual(['ok', 'ok', 'ok', 'ok', 'seat_limit_exceeded']);
    // A rule's refusal is an answer, not an error of the service.
    expect(spans[4]!.status.code).toBe(SpanStatusCode.UNSET);
    const recorded = JSON.stringify(spans.map((span) => ({ name: span.name, attributes: span.attributes, events: span.events })));
    for (const secret of ['Secret Customer', 'secret words', 'c1']) expect(recorded).not.toContain(secret);
  });

  it('marks a storage failure and a defect as errors of the span', async () => {
    const failing = makeFixture({ ...memoryStore(), transaction: async () => err(storeFailure(new Error('disk gone'))) } as never).cx;
    const broken = makeFixture({
      ...memoryStore(),
      transaction: async () => {
        throw new Error('a bug');
      },
    } as never).cx;
    await failing.products.overview('acme');
    await broken.agents.access('acme', 'u1');
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => [span.name, span.attributes['cx.outcome'], span.status.code])).toEqual([
      ['cx.products.overview', 'store_failure', SpanStatusCode.ERROR],
      ['cx.agents.access', 'internal', SpanStatusCode.ERROR],
    ]);
  });
});
