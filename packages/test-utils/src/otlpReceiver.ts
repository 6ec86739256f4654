// A minimal OTLP/HTTP receiver on loopback: decodes the traces and metrics generated services export (protobuf or
// JSON) into plain spans and metrics the tests can assert on. Only the fields the tests read are declared; protobuf
// skips the rest.
import { createServer, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import protobuf from 'protobufjs';

export type ReceivedSpan = {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
};

/** One data point of a metric: its attributes, and count/sum (histograms) or value (sums, gauges). */
export type ReceivedDataPoint = {
  attributes: Record<string, unknown>;
  count?: number;
  sum?: number;
  value?: number;
};

export type ReceivedMetric = {
  name: string;
  unit: string;
  type: 'gauge' | 'sum' | 'histogram' | 'exponentialHistogram' | 'summary';
  points: ReceivedDataPoint[];
  resource: Record<string, unknown>;
};

const root = protobuf.Root.fromJSON({
  nested: {
    ExportMetricsServiceRequest: {
      fields: {
        resourceMetrics: { rule: 'repeated', type: 'ResourceMetrics', id: 1 },
      },
    },
    ResourceMetrics: {
      fields: {
        resource: { type: 'Resource', id: 1 },
        scopeMetrics: { rule: 'repeated', type: 'ScopeMetrics', id: 2 },
      },
    },
    ScopeMetrics: {
      fields: { metrics: { rule: 'repeated', type: 'Metric', id: 2 } },
    },
    Metric: {
      fields: {
        name: { type: 'string', id: 1 },
        unit: { type: 'string', id: 3 },
        gauge: { type: 'NumberPoints', id: 5 },
        sum: { type: 'NumberPoints', id: 7 },
        histogram: { type: 'HistogramPoints', id: 9 },
        exponentialHistogram: { type: 'ExponentialHistogramPoints', id: 10 },
        summary: { type: 'SummaryPoints', id: 11 },
      },
    },
    NumberPoints: {
      fields: {
        dataPoints: { rule: 'repeated', type: 'NumberDataPoint', id: 1 },
      },
    },
    NumberDataPoint: {
      fields: {
        attributes: { rule: 'repeated', type: 'KeyValue', id: 7 },
        asDouble: { type: 'double', id: 4 },
        asInt: { type: 'sfixed64', id: 6 },
      },
    },
    HistogramPoints: {
      fields: {
        dataPoints: { rule: 'repeated', type: 'HistogramDataPoint', id: 1 },
      },
    },
    HistogramDataPoint: {
      fields: {
        attributes: { rule: 'repeated', type: 'KeyValue', id: 9 },
        count: { type: 'fixed64', id: 4 },
        sum: { type: 'double', id: 5 },
      },
    },
    ExponentialHistogramPoints: {
      fields: {
        dataPoints: {
          rule: 'repeated',
          type: 'ExponentialHistogramDataPoint',
          id: 1,
        },
      },
    },
    ExponentialHistogramDataPoint: {
      fields: {
        attributes: { rule: 'repeated', type: 'KeyValue', id: 1 },
        count: { type: 'fixed64', id: 4 },
        sum: { type: 'double', id: 5 },
      },
    },
    SummaryPoints: {
      fields: {
        dataPoints: { rule: 'repeated', type: 'SummaryDataPoint', id: 1 },
      },
    },
    SummaryDataPoint: {
      fields: {
        attributes: { rule: 'repeated', type: 'KeyValue', id: 7 },
        count: { type: 'fixed64', id: 4 },
        sum: { type: 'double', id: 5 },
      },
    },
    ExportTraceServiceRequest: {
      fields: {
        resourceSpans: { rule: 'repeated', type: 'ResourceSpans', id: 1 },
      },
    },
    ResourceSpans: {
      fields: {
        resource: { type: 'Resource', id: 1 },
        scopeSpans: { rule: 'repeated', type: 'ScopeSpans', id: 2 },
      },
    },
    Resource: {
      fields: { attributes: { rule: 'repeated', type: 'KeyValue', id: 1 } },
    },
    ScopeSpans: {
      fields: { spans: { rule: 'repeated', type: 'Span', id: 2 } },
    },
    Span: {
      fields: {
        traceId: { type: 'bytes', id: 1 },
        spanId: { type: 'bytes', id: 2 },
        parentSpanId: { type: 'bytes', id: 4 },
        name: { type: 'string', id: 5 },
        kind: { type: 'int32', id: 6 },
        attributes: { rule: 'repeated', type: 'KeyValue', id: 9 },
      },
    },
    KeyValue: {
      fields: {
        key: { type: 'string', id: 1 },
        value: { type: 'AnyValue', id: 2 },
      },
    },
    AnyValue: {
      oneofs: {
        value: {
          oneof: ['stringValue', 'boolValue', 'intValue', 'doubleValue'],
        },
      },
      fields: {
        stringValue: { type: 'string', id: 1 },
        boolValue: { type: 'bool', id: 2 },
        intValue: { type: 'int64', id: 3 },
        doubleValue: { type: 'double', id: 4 },
      },
    },
  },
});
const ExportTraceServiceRequest = root.lookupType('ExportTraceServiceRequest');
const ExportMetricsServiceRequest = root.lookupType(
  'ExportMetricsServiceRequest',
);

const hex = (value: unknown) =>
  typeof value === 'string'
    ? value.toLowerCase()
    : Buffer.from((value as Uint8Array) ?? []).toString('hex');

function attributes(list: any[] = []): Record<string, unknown> {
  return Object.fromEntries(
    list.map(kv => {
      const v = kv.value ?? {};
      const value =
        v.stringValue ??
        v.boolValue ??
        v.doubleValue ??
        (v.intValue !== undefined ? Number(v.intValue) : undefined);
      return [kv.key, value];
    }),
  );
}

export function decodeExportRequest(
  body: Buffer,
  contentType: string,
): ReceivedSpan[] {
  const request: any = contentType.includes('json')
    ? JSON.parse(body.toString('utf8'))
    : ExportTraceServiceRequest.toObject(
        ExportTraceServiceRequest.decode(body),
        { defaults: false },
      );
  return (request.resourceSpans ?? []).flatMap((rs: any) =>
    (rs.scopeSpans ?? []).flatMap((ss: any) =>
      (ss.spans ?? []).map((span: any) => ({
        traceId: hex(span.traceId),
        spanId: hex(span.spanId),
        parentSpanId: hex(span.parentSpanId),
        name: span.name,
        kind: Number(span.kind ?? 0),
        attributes: attributes(span.attributes),
        resource: attributes(rs.resource?.attributes),
      })),
    ),
  );
}

const optionalNumber = (value: unknown) =>
  value === undefined || value === null ? undefined : Number(value);

const METRIC_TYPES = [
  'gauge',
  'sum',
  'histogram',
  'exponentialHistogram',
  'summary',
] as const;

/** Decodes an OTLP metrics export (`POST /v1/metrics`) into one entry per metric. */
export function decodeMetricsRequest(
  body: Buffer,
  contentType: string,
): ReceivedMetric[] {
  const request: any = contentType.includes('json')
    ? JSON.parse(body.toString('utf8'))
    : ExportMetricsServiceRequest.toObject(
        ExportMetricsServiceRequest.decode(body),
        { defaults: false },
      );
  return (request.resourceMetrics ?? []).flatMap((rm: any) =>
    (rm.scopeMetrics ?? []).flatMap((sm: any) =>
      (sm.metrics ?? []).map((metric: any): ReceivedMetric => {
        const type = METRIC_TYPES.find(t => metric[t]) ?? 'gauge';
        return {
          name: metric.name,
          unit: metric.unit ?? '',
          type,
          points: (metric[type]?.dataPoints ?? []).map((p: any) => ({
            attributes: attributes(p.attributes),
            count: optionalNumber(p.count),
            sum: optionalNumber(p.sum),
            value: optionalNumber(p.asDouble ?? p.asInt),
          })),
          resource: attributes(rm.resource?.attributes),
        };
      }),
    ),
  );
}

export type OtlpReceiver = {
  endpoint: string;
  spans: ReceivedSpan[];
  metrics: ReceivedMetric[];
  /** Exports received per signal since the receiver started (clear() keeps these counts), decoded or not. */
  received: { traces: number; metrics: number };
  /** Forgets the spans and metrics received so far, decoded or not. */
  clear: () => void;
  /**
   * Decodes the exports a receiver started with `decodeLater` has stored into `spans` and `metrics`; throws on the
   * first one that is not valid OTLP. A no-op for a receiver that decodes as exports arrive.
   */
  decodePending: () => void;
  close: () => Promise<void>;
};

type Decoder = (typeof DECODERS)[keyof typeof DECODERS];

const DECODERS = {
  '/v1/traces': (receiver: OtlpReceiver, body: Buffer, contentType: string) =>
    receiver.spans.push(...decodeExportRequest(body, contentType)),
  '/v1/metrics': (receiver: OtlpReceiver, body: Buffer, contentType: string) =>
    receiver.metrics.push(...decodeMetricsRequest(body, contentType)),
};

/** How much a `decodeLater` receiver stores before it decodes anyway (a measured run exports a few MB). */
const MAX_PENDING_BYTES = 64 * 1024 * 1024;

/**
 * Starts the receiver on a loopback port. With `decodeLater`, each export is only stored and acknowledged, and
 * decodePending() decodes them: a benchmark measuring a service's CPU keeps the decoding (protobufjs, on the same
 * cores) out of the measured window, as a real collector on another machine would.
 */
export async function startOtlpReceiver(
  options: { decodeLater?: boolean } = {},
): Promise<OtlpReceiver> {
  const pending: { decode: Decoder; body: Buffer; contentType: string }[] = [];
  let pendingBytes = 0;
  const receiver: OtlpReceiver = {
    endpoint: '',
    spans: [],
    metrics: [],
    received: { traces: 0, metrics: 0 },
    clear: () => {
      receiver.spans.length = 0;
      receiver.metrics.length = 0;
      pending.length = 0;
      pendingBytes = 0;
    },
    decodePending: () => {
      pendingBytes = 0;
      for (const { decode, body, contentType } of pending.splice(0)) {
        decode(receiver, body, contentType);
      }
    },
    close: async () => {},
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const decode = Object.hasOwn(DECODERS, req.url ?? '')
        ? DECODERS[req.url as keyof typeof DECODERS]
        : undefined;
      if (req.method !== 'POST' || !decode) {
        res.writeHead(404).end();
        return;
      }
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      const contentType = String(req.headers['content-type'] ?? '');
      receiver.received[req.url === '/v1/traces' ? 'traces' : 'metrics']++;
      try {
        if (options.decodeLater) {
          pending.push({ decode, body, contentType });
          pendingBytes += body.length;
          // Bounded: a long warm-up at 100 % sampling exports hundreds of MB; decode it in pieces.
          if (pendingBytes > MAX_PENDING_BYTES) receiver.decodePending();
        } else {
          decode(receiver, body, contentType);
        }
        res.writeHead(200, {
          'content-type': contentType.includes('json')
            ? 'application/json'
            : 'application/x-protobuf',
        });
        res.end(contentType.includes('json') ? '{}' : undefined);
      } catch (error) {
        res.writeHead(400).end(String(error));
      }
    });
  });
  await new Promise<void>(ok => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  receiver.endpoint = `http://127.0.0.1:${port}`;
  receiver.close = () => new Promise(ok => server.close(() => ok()));
  return receiver;
}
