import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Link } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { TracerProvider, type ReadableSpan, type SpanLimits } from '@opentelemetry/sdk-trace';
import {
  createOtlpProtobufTraceExporter,
  encodeTraceExportRequest,
  usesOtlpProtobufTraces,
} from './otlpTraceExport.ts';

/** Ends spans made by `make` with a real SDK TracerProvider and returns them as the batch span processor would. */
function spansOf(
  resource: Attributes,
  make: (provider: TracerProvider) => void,
  spanLimits?: SpanLimits,
): ReadableSpan[] {
  const ended: ReadableSpan[] = [];
  const provider = new TracerProvider({
    resource: resourceFromAttributes(resource),
    ...(spanLimits ? { spanLimits } : {}),
    spanProcessors: [
      {
        onStart() {},
        onEnd: span => void ended.push(span),
        forceFlush: async () => {},
        shutdown: async () => {},
      },
    ],
  });
  make(provider);
  return ended;
}

const remoteParent = trace.setSpanContext(ROOT_CONTEXT, {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: 1,
  isRemote: true,
  traceState: new TraceState('vendor=a1,other=b2'),
});

const link: Link = {
  context: {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '00f067aa0ba902b7',
    traceFlags: 0,
    isRemote: true,
    traceState: new TraceState('k=v'),
  },
  attributes: { 'link.reason': 'batch', 'link.index': 3 },
};

/** The API accepts upper-case hex ids (its validity check ignores case); both encoders read them alike. */
const upperCaseLink: Link = {
  context: { traceId: '4BF92F3577B34DA6A3CE929D0E0E4736', spanId: '00F067AA0BA902B7', traceFlags: 1 },
};

/** Every attribute type the SDK keeps, at the edges of the protobuf encodings (varint sizes, int64, UTF-8). */
const everyType: Attributes = {
  'str.ascii': 'nats',
  'str.empty': '',
  'str.accents': 'façade résumé',
  'str.cjk': '日本語のジョブ',
  'str.emoji': 'rocket 🚀 and more 👩‍💻',
  'str.long': 'x'.repeat(300),
  'bool.true': true,
  'bool.false': false,
  'int.zero': 0,
  'int.127': 127,
  'int.128': 128,
  'int.2^31': 2 ** 31,
  'int.2^32': 2 ** 32,
  'int.2^40+1': 2 ** 40 + 1,
  'int.max-safe': Number.MAX_SAFE_INTEGER,
  'int.minus-one': -1,
  'int.minus-2^40': -(2 ** 40),
  'int.min-safe': Number.MIN_SAFE_INTEGER,
  'double.half': 0.5,
  'double.negative': -1234.5678,
  'double.huge': 1e300,
  'array.strings': ['a', 'é', ''],
  'array.numbers': [1, 2.5, -3],
  'array.bools': [true, false],
  'array.with-null': ['a', null, 'b'],
  'array.empty': [],
};

function sameAsSdk(spans: ReadableSpan[]) {
  const ours = Buffer.from(encodeTraceExportRequest(spans));
  const sdk = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!);
  assert.equal(ours.length, sdk.length, 'encoded length');
  assert.ok(ours.equals(sdk), `first difference at byte ${ours.findIndex((b, i) => b !== sdk[i])}`);
}

describe('encodeTraceExportRequest', () => {
  it('writes the same bytes as the SDK for every attribute type, event, link, status and parent', () => {
    const spans = spansOf({ 'service.name': 'worker', team: 'payments', 'process.pid': 4242 }, provider => {
      const tracer = provider.getTracer('worker');
      const span = tracer.startSpan(
        'process jobs',
        { kind: SpanKind.CONSUMER, attributes: everyType, links: [link, upperCaseLink] },
        remoteParent,
      );
      span.addEvent('checkpoint', { 'event.step': 2, 'event.note': 'half way ✓' }, [1_700_000_000, 5]);
      span.addEvent('no attributes');
      span.recordException(new Error('payment provider said no'));
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'gave up après 5 attempts' });
      span.end();

      for (const kind of [SpanKind.INTERNAL, SpanKind.SERVER, SpanKind.CLIENT, SpanKind.PRODUCER]) {
        tracer.startSpan(`kind ${kind}`, { kind }, ROOT_CONTEXT).end();
      }
      const ok = tracer.startSpan('ok', { startTime: [0, 0] });
      ok.setStatus({ code: SpanStatusCode.OK });
      ok.end([4_102_444_800, 999_999_999]);
      // A local (not remote) parent, and a child of it.
      const parent = tracer.startSpan('parent', {}, ROOT_CONTEXT);
      tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, parent)).end([1_764_000_000, 123_456_789]);
      parent.end();
    });
    assert.equal(spans.length, 8);
    sameAsSdk(spans);
  });

  it('groups spans by resource and scope in first-seen order, with versions, schema URLs and scope attributes', () => {
    const first = spansOf({ 'service.name': 'a' }, provider => {
      provider.getTracer('plain').startSpan('one').end();
      provider
        .getTracer('versioned', '1.2.3', { schemaUrl: 'https://opentelemetry.io/schemas/1.30.0' })
        .startSpan('two')
        .end();
      provider.getTracer('plain').startSpan('three').end();
    });
    const second = spansOf({ 'service.name': 'b', cost_center: 'CC-1' }, provider => {
      provider.getTracer('other').startSpan('four').end();
    });
    // Interleaved: the encoding still has one ResourceSpans per resource and one ScopeSpans per scope.
    const batch = [first[0]!, second[0]!, first[1]!, first[2]!];
    sameAsSdk(batch);
    // Scope attributes are not set by this SDK version's tracers; a scope that carries them is still encoded alike.
    const scoped: ReadableSpan = Object.create(first[0]!, {
      instrumentationScope: { value: { name: 's', attributes: { 'scope.k': 'v' }, droppedAttributesCount: 2 } },
    });
    sameAsSdk([scoped]);
  });

  it('writes the same bytes for dropped attributes, events and links', () => {
    const spans = spansOf(
      { 'service.name': 'limited' },
      provider => {
        const span = provider.getTracer('t').startSpan('limited', { attributes: everyType, links: [link, link, link] });
        for (let i = 0; i < 5; i++) span.addEvent(`event ${i}`, everyType);
        span.end();
      },
      { attributeCountLimit: 3, eventCountLimit: 2, linkCountLimit: 1, attributePerEventCountLimit: 2 },
    );
    assert.ok(spans[0]!.droppedAttributesCount > 0 && spans[0]!.droppedEventsCount > 0);
    sameAsSdk(spans);
  });

  it('writes the same bytes whatever the size of a span and of a batch (lengths of 1, 2 and 3 bytes)', () => {
    const huge = spansOf({ 'service.name': 'big' }, provider => {
      const tracer = provider.getTracer('t');
      // Over 16 KiB: the span's length takes 3 bytes.
      tracer.startSpan('huge', { attributes: { payload: 'é'.repeat(9_000) } }).end();
    });
    sameAsSdk(huge);
    const many = spansOf({ 'service.name': 'many' }, provider => {
      const tracer = provider.getTracer('t');
      for (let i = 0; i < 600; i++) {
        tracer.startSpan(`job ${i}`, { attributes: { 'messaging.nats.stream.sequence': i, outcome: 'ack' } }).end();
      }
    });
    sameAsSdk(many.slice(0, 1));
    sameAsSdk(many);
    sameAsSdk([]);
  });
});

describe('createOtlpProtobufTraceExporter', () => {
  it('posts the encoded batch to the traces endpoint with the configured headers', async () => {
    const received: { url?: string; headers: IncomingHttpHeaders; body: Buffer }[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', chunk => chunks.push(chunk));
      req.on('end', () => {
        received.push({ url: req.url, headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const saved = { ...process.env };
    process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = `http://127.0.0.1:${port}/custom/traces`;
    process.env.OTEL_EXPORTER_OTLP_HEADERS = 'x-tenant=payments';
    try {
      const exporter = createOtlpProtobufTraceExporter();
      const spans = spansOf({ 'service.name': 'worker' }, provider => {
        provider
          .getTracer('worker')
          .startSpan('process jobs', { attributes: { 'job.outcome': 'ack' } })
          .end();
      });
      const result = await new Promise<{ code: number; error?: Error }>(done => exporter.export(spans, done));
      assert.equal(result.code, 0, String(result.error));
      await exporter.shutdown();
      assert.equal(received.length, 1);
      assert.equal(received[0]!.url, '/custom/traces');
      assert.equal(received[0]!.headers['content-type'], 'application/x-protobuf');
      assert.equal(received[0]!.headers['x-tenant'], 'payments');
      assert.ok(received[0]!.body.equals(Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!)));
    } finally {
      process.env = saved;
      server.close();
    }
  });

  it('reports a failed export when the collector refuses the batch', async () => {
    const server = createServer((_req, res) => res.writeHead(400).end());
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const saved = { ...process.env };
    process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`;
    try {
      const exporter = createOtlpProtobufTraceExporter();
      const spans = spansOf({ 'service.name': 'worker' }, provider => provider.getTracer('w').startSpan('x').end());
      const result = await new Promise<{ code: number }>(done => exporter.export(spans, done));
      assert.equal(result.code, 1);
      await exporter.shutdown();
    } finally {
      process.env = saved;
      server.close();
    }
  });
});

describe('usesOtlpProtobufTraces', () => {
  it('is true only when spans go to OTLP over HTTP with protobuf alone, as the SDK reads the variables', () => {
    assert.equal(usesOtlpProtobufTraces({}), true);
    assert.equal(
      usesOtlpProtobufTraces({ OTEL_TRACES_EXPORTER: ' otlp ', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' }),
      true,
    );
    assert.equal(usesOtlpProtobufTraces({ OTEL_TRACES_EXPORTER: 'otlp,otlp' }), true);
    assert.equal(usesOtlpProtobufTraces({ OTEL_TRACES_EXPORTER: '' }), true);
    assert.equal(usesOtlpProtobufTraces({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }), false);
    assert.equal(usesOtlpProtobufTraces({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }), false);
    assert.equal(
      usesOtlpProtobufTraces({
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf',
      }),
      true,
    );
    assert.equal(usesOtlpProtobufTraces({ OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json' }), false);
    assert.equal(usesOtlpProtobufTraces({ OTEL_TRACES_EXPORTER: 'console' }), false);
    assert.equal(usesOtlpProtobufTraces({ OTEL_TRACES_EXPORTER: 'otlp,console' }), false);
    assert.equal(usesOtlpProtobufTraces({ OTEL_TRACES_EXPORTER: 'none' }), false);
  });
});
