// The job's CONSUMER span continues the producer's trace through the NATS message headers.
import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { PubAck } from '@nats-io/jetstream';
import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import { processDelivery, type DeliveryDeps } from './delivery.ts';
import { createLogger, silentLogger } from './logger.ts';
import { natsHeaderGetter } from './propagation.ts';
import { publishJob } from './producer.ts';
import { fakeMessage } from './testing/fakeMessage.ts';
import { recordSpans } from './testing/tracing.ts';
import { createJobMetrics } from './jobMetrics.ts';

const spans = recordSpans('invoice-worker-test');
after(() => spans.shutdown());
beforeEach(() => spans.exporter.reset());

/** A JetStream client that keeps what was published instead of sending it. */
function capturingJetStream() {
  const published: Array<{ subject: string; data: Uint8Array; headers: MsgHdrs }> = [];
  return {
    published,
    async publish(subject: string, data?: string | Uint8Array, options?: { headers?: MsgHdrs }): Promise<PubAck> {
      published.push({ subject, data: data as Uint8Array, headers: options!.headers! });
      return { stream: 'test-jobs', seq: published.length, duplicate: false };
    },
  };
}

const deps = (overrides: Partial<DeliveryDeps> = {}): DeliveryDeps => ({
  handler: async () => {},
  policy: { maxDeliver: 3, baseDelayMs: 100, maxDelayMs: 1_000 },
  deadLetter: async () => {},
  logger: silentLogger,
  metrics: createJobMetrics(),
  random: () => 1,
  ...overrides,
});

describe('trace propagation through NATS headers', () => {
  it('gives the job a CONSUMER span that is a child of the producer span', async () => {
    const js = capturingJetStream();
    await publishJob(js, 'test.jobs', { orderId: 'A-1' }, { msgId: 'order-A-1' });
    const [sent] = js.published;
    assert.ok(sent);
    assert.match(sent.headers.get('traceparent'), /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

    const outcome = await processDelivery(
      fakeMessage({ subject: sent.subject, data: sent.data, headers: sent.headers }),
      deps(),
    );
    assert.equal(outcome, 'ack');

    const finished = spans.exporter.getFinishedSpans();
    const producer = finished.find(s => s.kind === SpanKind.PRODUCER);
    const consumer = finished.find(s => s.kind === SpanKind.CONSUMER);
    assert.ok(producer && consumer, `want a producer and a consumer span, got ${finished.map(s => s.name)}`);

    assert.equal(producer.name, 'send test.jobs');
    assert.equal(consumer.name, 'process test.jobs');
    assert.equal(consumer.spanContext().traceId, producer.spanContext().traceId);
    assert.equal(consumer.parentSpanContext?.spanId, producer.spanContext().spanId);
    assert.equal(consumer.resource.attributes['service.name'], 'invoice-worker-test');
    assert.deepEqual(
      {
        system: consumer.attributes['messaging.system'],
        destination: consumer.attributes['messaging.destination.name'],
        operation: consumer.attributes['messaging.operation.type'],
        group: consumer.attributes['messaging.consumer.group.name'],
        attempt: consumer.attributes['messaging.nats.delivery_count'],
        stream: consumer.attributes['messaging.nats.stream'],
        sequence: consumer.attributes['messaging.nats.stream.sequence'],
        bodySize: consumer.attributes['messaging.message.body.size'],
        outcome: consumer.attributes['job.outcome'],
      },
      {
        system: 'nats',
        destination: 'test.jobs',
        operation: 'process',
        group: 'test',
        attempt: 1,
        stream: 'test-jobs',
        sequence: 7,
        bodySize: sent.data.byteLength,
        outcome: 'ack',
      },
    );
    assert.equal(producer.attributes['messaging.operation.type'], 'send');
    assert.equal(producer.attributes['messaging.message.id'], 'order-A-1');
  });

  it('continues a traceparent written by another language with a capitalised header name', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const headers = natsHeaders();
    headers.set('Traceparent', `00-${traceId}-00f067aa0ba902b7-01`); // as Go's propagation.HeaderCarrier writes it

    await processDelivery(fakeMessage({ headers }), deps());

    const [consumer] = spans.exporter.getFinishedSpans();
    assert.equal(consumer?.spanContext().traceId, traceId);
    assert.equal(consumer?.parentSpanContext?.spanId, '00f067aa0ba902b7');
    assert.equal(consumer?.parentSpanContext?.isRemote, true);
  });

  it('follows an unsampled producer: no span is exported, yet the job runs and its logs carry the trace id', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const headers = natsHeaders();
    headers.set('traceparent', `00-${traceId}-b7ad6b7169203331-00`);
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', write: line => lines.push(line) });

    const outcome = await processDelivery(
      fakeMessage({ headers }),
      deps({ logger, handler: async (_data, job) => job.logger.info('handled') }),
    );

    assert.equal(outcome, 'ack');
    assert.deepEqual(spans.exporter.getFinishedSpans(), []);
    const [handled] = lines.map(line => JSON.parse(line));
    assert.equal(handled?.msg, 'handled');
    assert.equal(handled?.trace_id, traceId);
  });

  it('starts a new trace when the message carries no context', async () => {
    await processDelivery(fakeMessage({}), deps());

    const [consumer] = spans.exporter.getFinishedSpans();
    assert.equal(consumer?.kind, SpanKind.CONSUMER);
    assert.equal(consumer?.parentSpanContext, undefined);
  });

  it('marks the span of a failed attempt as an error with the exception', async () => {
    const failing = deps({
      handler: async () => {
        throw new Error('downstream unavailable');
      },
    });
    await processDelivery(fakeMessage({ deliveryCount: 1 }), failing);

    const [consumer] = spans.exporter.getFinishedSpans();
    assert.equal(consumer?.status.code, SpanStatusCode.ERROR);
    assert.equal(consumer?.attributes['job.outcome'], 'retry');
    assert.ok(consumer?.events.some(e => e.name === 'exception'));
  });

  it('reads headers case-insensitively and returns nothing for absent ones', () => {
    const headers = natsHeaders();
    headers.set('TraceParent', 'x');
    assert.equal(natsHeaderGetter.get(headers, 'traceparent'), 'x');
    assert.equal(natsHeaderGetter.get(headers, 'baggage'), undefined);
    assert.equal(natsHeaderGetter.get(undefined, 'traceparent'), undefined);
  });
});
