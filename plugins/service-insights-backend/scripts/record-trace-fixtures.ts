// Records what a real Jaeger v2 answers for a real trace, as the msw fixtures of the trace-owner tests
// (src/traces/__fixtures__). Needs the Jaeger binary (`./scripts/jaeger` builds it, about 5 min) and Go.
//
//   node --require @backstage/cli/config/nodeTransform.cjs plugins/service-insights-backend/scripts/record-trace-fixtures.ts
//
// It starts Jaeger with memory storage on free loopback ports, sends one trace across four services through the
// OpenTelemetry Go SDK (scripts/trace-emitter), and writes Jaeger's `/api/v3/traces/{id}` answers for that trace
// and for an id it does not have, verbatim (status, content type, body).
//
// Grafana Tempo cannot run here (no Go module build of it was tried within this change), so its fixture is NOT a
// recording: it is the same trace converted to the shape Tempo's `/api/traces/{id}` documents (`batches` of OTLP
// resource spans, protobuf-JSON field names, enums as names, ids in base64), and is marked as derived.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  JAEGER_VERSION,
  buildTraceEmitter,
  emitTrace,
  jaegerBinary,
  startJaeger,
  waitForTrace,
} from '../src/traces/__testUtils__/jaeger';

const fixturesDir = resolve(__dirname, '../src/traces/__fixtures__');

async function record(url: string) {
  const res = await fetch(url);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    body,
  };
}

const SPAN_KINDS = [
  'SPAN_KIND_UNSPECIFIED',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
];
const STATUS_CODES = [
  'STATUS_CODE_UNSET',
  'STATUS_CODE_OK',
  'STATUS_CODE_ERROR',
];
const hexToBase64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');

/** Jaeger's OTLP JSON → Tempo's documented `/api/traces/{id}` JSON (see the fixture's `derivedFrom`). */
function asTempo(jaegerBody: any) {
  return {
    batches: jaegerBody.result.resourceSpans.map((rs: any) => ({
      resource: rs.resource,
      scopeSpans: rs.scopeSpans.map((ss: any) => ({
        scope: ss.scope,
        spans: ss.spans.map((span: any) => ({
          ...span,
          traceId: hexToBase64(span.traceId),
          spanId: hexToBase64(span.spanId),
          ...(span.parentSpanId
            ? { parentSpanId: hexToBase64(span.parentSpanId) }
            : {}),
          kind: SPAN_KINDS[span.kind ?? 0],
          status: span.status?.code
            ? { ...span.status, code: STATUS_CODES[span.status.code] }
            : {},
        })),
      })),
    })),
  };
}

async function main() {
  const bin = jaegerBinary();
  if (!bin) {
    throw new Error(
      `Jaeger ${JAEGER_VERSION} is not built: run ./scripts/jaeger first (about 5 min on 2 cores)`,
    );
  }
  const emitter = buildTraceEmitter();
  const jaeger = await startJaeger(bin);
  try {
    const traceId = emitTrace(emitter, jaeger.otlpUrl);
    await waitForTrace(jaeger.queryUrl, traceId);
    const found = await record(`${jaeger.queryUrl}/api/v3/traces/${traceId}`);
    const missingId = randomBytes(16).toString('hex');
    const missing = await record(
      `${jaeger.queryUrl}/api/v3/traces/${missingId}`,
    );
    const recordedWith = `jaeger ${JAEGER_VERSION} (cmd/jaeger of github.com/jaegertracing/jaeger), memory storage; spans from the OpenTelemetry Go SDK (scripts/trace-emitter)`;
    mkdirSync(fixturesDir, { recursive: true });
    const write = (name: string, content: object) =>
      writeFileSync(
        join(fixturesDir, name),
        `${JSON.stringify(content, null, 2)}\n`,
      );
    write('jaeger-trace.json', {
      recordedWith,
      request: `GET /api/v3/traces/${traceId}`,
      traceId,
      ...found,
    });
    write('jaeger-trace-not-found.json', {
      recordedWith,
      request: `GET /api/v3/traces/${missingId}`,
      traceId: missingId,
      ...missing,
    });
    write('tempo-trace.json', {
      derivedFrom:
        "jaeger-trace.json converted to Grafana Tempo's documented /api/traces/{id} JSON (batches of OTLP resource spans; enums as names, ids in base64). Not recorded from a running Tempo.",
      request: `GET /api/traces/${traceId}`,
      traceId,
      status: 200,
      contentType: 'application/json',
      body: asTempo(found.body),
    });
    console.log(
      `Recorded trace ${traceId} (${found.status}) and a missing one (${missing.status}) into ${fixturesDir}`,
    );
  } finally {
    await jaeger.stop();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
