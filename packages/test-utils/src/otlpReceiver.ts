// A minimal OTLP/HTTP trace receiver on loopback: decodes what generated services export (protobuf or JSON) into
// plain spans the tests can assert on. Only the fields the tests read are declared; protobuf skips the rest.
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

const root = protobuf.Root.fromJSON({
  nested: {
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

export type OtlpReceiver = {
  endpoint: string;
  spans: ReceivedSpan[];
  close: () => Promise<void>;
};

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      const contentType = String(req.headers['content-type'] ?? '');
      try {
        spans.push(...decodeExportRequest(body, contentType));
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
  return {
    endpoint: `http://127.0.0.1:${port}`,
    spans,
    close: () => new Promise(ok => server.close(() => ok())),
  };
}
