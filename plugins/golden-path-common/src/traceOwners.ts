import { OwnerInsight } from './serviceInsights';

// The contract of service-insights' `GET /traces/{traceId}/owners`: "who do I page for this trace".

/** The tracing query APIs the backend can ask for a trace. */
export const TRACE_QUERY_BACKEND_TYPES = ['jaeger', 'tempo'] as const;

/** `jaeger`: Jaeger v2's `/api/v3/traces/{id}`; `tempo`: Grafana Tempo's `/api/traces/{id}`. */
export type TraceQueryBackendType = (typeof TRACE_QUERY_BACKEND_TYPES)[number];

/** What one configured tracing backend answered for the trace. */
export interface TraceBackendAnswer {
  /** The backend's title from config (e.g. "Jaeger"). */
  title: string;
  type: TraceQueryBackendType;
  /** `found`: it had the trace; `not-found`: it answered that it has no such trace; `error`: it could not answer. */
  status: 'found' | 'not-found' | 'error';
  /** For `error`: what went wrong, without the backend's URL or credentials. */
  message?: string;
}

/** A catalog component a trace's service maps to, with who owns it. */
export interface TraceServiceComponent {
  entityRef: string;
  title?: string;
  system?: string;
  lifecycle?: string;
  owner: OwnerInsight;
  /** How the component was matched: its service-name annotation, or its name equals the service name. */
  matchedBy: 'annotation' | 'name';
}

/** One `service.name` seen in the trace. */
export interface TraceService {
  serviceName: string;
  spans: number;
  /** Spans with status ERROR: the services that failed come first in the list. */
  errorSpans: number;
  /** The components the caller may read that carry this service name; empty when none does. */
  components: TraceServiceComponent[];
}

export interface TraceOwnersResponse {
  /** The trace id, lowercase. */
  traceId: string;
  /** One answer per configured backend; empty when no trace query API is configured. */
  backends: TraceBackendAnswer[];
  /** Services with error spans first, then by span count. */
  services: TraceService[];
}
