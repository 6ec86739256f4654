import { TraceQueryBackendType } from '@golden-path/common';

/** One `service.name` of a trace with its span counts. */
export interface ServiceSpans {
  serviceName: string;
  spans: number;
  errorSpans: number;
}

/** A resource's spans in OTLP JSON: `{ resource: { attributes }, scopeSpans: [{ spans }] }`. */
interface ResourceSpans {
  resource?: { attributes?: Array<{ key?: string; value?: any }> };
  scopeSpans?: Array<{ spans?: Array<{ status?: { code?: unknown } }> }>;
  /** Older OTLP JSON (Tempo before 2.0 and collectors before OTLP 0.19) names the scope level this way. */
  instrumentationLibrarySpans?: ResourceSpans['scopeSpans'];
}

/** What the resource carries when the SDK had no service name (OTel spec: `unknown_service[:process]`). */
const UNKNOWN_SERVICE = 'unknown_service';

/**
 * The services in a trace as a tracing backend's query API returns it, both in OTLP JSON:
 * - Jaeger v2 `/api/v3/traces/{id}`: `{ result: { resourceSpans: [...] } }` (a stream of such chunks may be
 *   concatenated into an array by proxies; both are accepted);
 * - Grafana Tempo `/api/traces/{id}`: `{ batches: [...] }`; its `/api/v2/traces/{id}`: `{ trace: { resourceSpans } }`.
 * Span status ERROR is `2` in Jaeger's JSON and `"STATUS_CODE_ERROR"` in Tempo's.
 */
export function servicesInTrace(
  type: TraceQueryBackendType,
  body: unknown,
): ServiceSpans[] {
  const resources = resourceSpansOf(type, body);
  if (!resources) {
    throw new Error(
      `answered with JSON that is not a ${
        type === 'jaeger'
          ? 'Jaeger /api/v3 trace ({ result: { resourceSpans } })'
          : 'Tempo trace ({ batches } or { trace: { resourceSpans } })'
      }`,
    );
  }
  const byName = new Map<string, ServiceSpans>();
  for (const resource of resources) {
    const attribute = resource?.resource?.attributes?.find(
      a => a?.key === 'service.name',
    );
    const name =
      typeof attribute?.value?.stringValue === 'string' &&
      attribute.value.stringValue.trim() !== ''
        ? attribute.value.stringValue
        : UNKNOWN_SERVICE;
    const entry = byName.get(name) ?? {
      serviceName: name,
      spans: 0,
      errorSpans: 0,
    };
    for (const scope of resource?.scopeSpans ??
      resource?.instrumentationLibrarySpans ??
      []) {
      for (const span of scope?.spans ?? []) {
        entry.spans += 1;
        const code = span?.status?.code;
        if (code === 2 || code === 'STATUS_CODE_ERROR') entry.errorSpans += 1;
      }
    }
    byName.set(name, entry);
  }
  return [...byName.values()];
}

function resourceSpansOf(
  type: TraceQueryBackendType,
  body: any,
): ResourceSpans[] | undefined {
  if (type === 'jaeger') {
    const chunks = Array.isArray(body) ? body : [body];
    const lists = chunks.map(chunk => chunk?.result?.resourceSpans);
    return lists.every(Array.isArray) ? lists.flat() : undefined;
  }
  if (Array.isArray(body?.batches)) return body.batches;
  if (Array.isArray(body?.trace?.resourceSpans))
    return body.trace.resourceSpans;
  return undefined;
}
