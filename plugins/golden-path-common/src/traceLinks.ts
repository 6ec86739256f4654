import { joinableBaseUrl, safeHttpUrl } from './safeHttpUrl';
import { datadogTraceId, normalizeTraceId } from './traceIds';

/** The tracing backends a trace link can point to. */
export const TRACE_BACKEND_TYPES = [
  'jaeger',
  'grafana-tempo',
  'honeycomb',
  'datadog',
] as const;

/** One of {@link TRACE_BACKEND_TYPES}. */
export type TraceBackendType = (typeof TRACE_BACKEND_TYPES)[number];

/** A Jaeger UI. */
export interface JaegerBackend {
  type: 'jaeger';
  /** Where the Jaeger UI is served, e.g. `http://localhost:16686`. */
  baseUrl: string;
  title?: string;
}

/** Grafana Explore with a Tempo data source (Grafana 10 or later, which understands `panes` URLs). */
export interface GrafanaTempoBackend {
  type: 'grafana-tempo';
  /** Where Grafana is served, e.g. `https://grafana.example.com`. */
  baseUrl: string;
  /** The uid of the Tempo data source in Grafana. */
  datasourceUid: string;
  /** The Grafana organisation; when unset Grafana uses the user's current one. */
  orgId?: number;
  title?: string;
}

/** Honeycomb (`us` is ui.honeycomb.io, `eu` is ui.eu1.honeycomb.io). */
export interface HoneycombBackend {
  type: 'honeycomb';
  /** The team slug, the first path segment of Honeycomb URLs. */
  team: string;
  /**
   * The Honeycomb environment. When unset, links use the deployment environment they are asked for; with neither,
   * they use the Honeycomb Classic form, which has no environment.
   */
  environment?: string;
  /** The dataset. When unset, links use the service name, which is what Honeycomb names OpenTelemetry datasets. */
  dataset?: string;
  region?: 'us' | 'eu';
  title?: string;
}

/** Datadog APM. */
export interface DatadogBackend {
  type: 'datadog';
  /** The Datadog site, e.g. `datadoghq.com`, `datadoghq.eu` or `us5.datadoghq.com`. */
  site: string;
  title?: string;
}

/** Where traces can be looked at; `tracing.links` in the golden-path policy. */
export type TraceBackend =
  | JaegerBackend
  | GrafanaTempoBackend
  | HoneycombBackend
  | DatadogBackend;

/** A link into a tracing backend, safe to render as `<a href>` (always http or https). */
export interface TraceLink {
  backend: TraceBackendType;
  title: string;
  url: string;
}

/** What to link to for a service. */
export interface ServiceTraceLinkOptions {
  /** The OpenTelemetry `service.name`. */
  serviceName: string;
  /** The deployment environment, e.g. `prod`; narrows the links where the backend supports it. */
  environment?: string;
  /** The resource attribute that carries the environment; defaults to `deployment.environment.name`. */
  environmentAttribute?: string;
}

/** Extra context for a trace link. */
export interface TraceIdLinkOptions {
  /** The service that produced the trace; Honeycomb needs it when no dataset is configured. */
  serviceName?: string;
  /** The deployment environment; Honeycomb uses it when no environment is configured. */
  environment?: string;
  /** Roughly when the trace happened; helps backends that search a time window (Grafana, Honeycomb, Datadog). */
  timestamp?: Date;
}

const DEFAULT_TITLES: Record<TraceBackendType, string> = {
  jaeger: 'Jaeger',
  'grafana-tempo': 'Grafana Tempo',
  honeycomb: 'Honeycomb',
  datadog: 'Datadog APM',
};

const HOUR_MS = 60 * 60 * 1000;
const DATADOG_SITE_PATTERN =
  /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;
// These sites serve their UI from the `app.` subdomain; regional sites such as us5.datadoghq.com serve it directly.
const DATADOG_APP_SUBDOMAIN_SITES = [
  'datadoghq.com',
  'datadoghq.eu',
  'ddog-gov.com',
];

/** Why `site` is not a Datadog site host name, or undefined when it is one. */
export function datadogSiteProblem(site: string): string | undefined {
  return DATADOG_SITE_PATTERN.test(site)
    ? undefined
    : 'must be a Datadog site host name such as datadoghq.com or us5.datadoghq.com, without scheme or path';
}

/**
 * Links to the traces of one service, one per backend in config order. Backends whose base URL or site is unsafe
 * or malformed are left out, as are all links when the service name is empty.
 */
export function serviceTraceLinks(
  backends: readonly TraceBackend[],
  options: ServiceTraceLinkOptions,
): TraceLink[] {
  const serviceName = options.serviceName?.trim();
  if (!serviceName) {
    return [];
  }
  return collect(backends, backend =>
    serviceUrl(backend, { ...options, serviceName }),
  );
}

/**
 * Links to one trace, one per backend in config order. Returns no links when `traceId` is not a valid trace id
 * (check it with `isValidTraceId` first to tell the user), and leaves out backends that cannot link to it.
 */
export function traceIdLinks(
  backends: readonly TraceBackend[],
  traceId: string,
  options: TraceIdLinkOptions = {},
): TraceLink[] {
  const id = normalizeTraceId(traceId);
  if (!id) {
    return [];
  }
  return collect(backends, backend => traceUrl(backend, id, options));
}

function collect(
  backends: readonly TraceBackend[],
  urlOf: (backend: TraceBackend) => string | undefined,
): TraceLink[] {
  return backends.flatMap(backend => {
    const url = urlOf(backend);
    const safe = url === undefined ? undefined : safeHttpUrl(url);
    return safe
      ? [
          {
            backend: backend.type,
            title: backend.title ?? DEFAULT_TITLES[backend.type],
            url: safe,
          },
        ]
      : [];
  });
}

function serviceUrl(
  backend: TraceBackend,
  options: ServiceTraceLinkOptions,
): string | undefined {
  const { serviceName, environment } = options;
  switch (backend.type) {
    case 'jaeger':
      // Jaeger's `tags` search parameter is encoded differently across versions, so the environment is left out.
      return withBase(
        backend.baseUrl,
        `/search?${query({ service: serviceName, lookback: '1h' })}`,
      );
    case 'grafana-tempo': {
      const matchers = [`resource.service.name=${traceQlString(serviceName)}`];
      if (environment) {
        const attribute =
          options.environmentAttribute ?? 'deployment.environment.name';
        matchers.push(`resource.${attribute}=${traceQlString(environment)}`);
      }
      return grafanaExploreUrl(backend, `{${matchers.join(' && ')}}`);
    }
    case 'honeycomb': {
      const base = honeycombDatasetUrl(backend, serviceName, environment);
      const spec = {
        time_range: 3600,
        calculations: [
          { op: 'COUNT' },
          { op: 'HEATMAP', column: 'duration_ms' },
        ],
        filters: [{ column: 'service.name', op: '=', value: serviceName }],
      };
      return base && `${base}?${query({ query: JSON.stringify(spec) })}`;
    }
    case 'datadog': {
      const host = datadogHost(backend.site);
      const env = environment ? `?${query({ env: environment })}` : '';
      return (
        host && `https://${host}/apm/services/${segment(serviceName)}${env}`
      );
    }
    default:
      return undefined;
  }
}

function traceUrl(
  backend: TraceBackend,
  traceId: string,
  options: TraceIdLinkOptions,
): string | undefined {
  const at = options.timestamp?.getTime();
  const around = at !== undefined && Number.isFinite(at) ? at : undefined;
  switch (backend.type) {
    case 'jaeger':
      return withBase(backend.baseUrl, `/trace/${traceId}`);
    case 'grafana-tempo':
      return grafanaExploreUrl(backend, traceId, around);
    case 'honeycomb': {
      const base = honeycombDatasetUrl(
        backend,
        options.serviceName?.trim(),
        options.environment,
      );
      const window: Record<string, string> =
        around === undefined
          ? {}
          : {
              trace_start_ts: String(Math.floor((around - HOUR_MS) / 1000)),
              trace_end_ts: String(Math.ceil((around + HOUR_MS) / 1000)),
            };
      return base && `${base}/trace?${query({ trace_id: traceId, ...window })}`;
    }
    case 'datadog': {
      const host = datadogHost(backend.site);
      const id = datadogTraceId(traceId);
      const hint =
        around === undefined ? '' : `?${query({ timeHint: String(around) })}`;
      return host && id && `https://${host}/apm/trace/${id}${hint}`;
    }
    default:
      return undefined;
  }
}

/** Grafana Explore showing a TraceQL query (a trace id is a valid one) against the Tempo data source. */
function grafanaExploreUrl(
  backend: GrafanaTempoBackend,
  traceQl: string,
  around?: number,
): string | undefined {
  const range =
    around === undefined
      ? { from: 'now-1h', to: 'now' }
      : { from: String(around - HOUR_MS), to: String(around + HOUR_MS) };
  const panes = {
    a: {
      datasource: backend.datasourceUid,
      queries: [
        {
          refId: 'A',
          datasource: { type: 'tempo', uid: backend.datasourceUid },
          queryType: 'traceql',
          query: traceQl,
        },
      ],
      range,
    },
  };
  const params: Record<string, string> = { schemaVersion: '1' };
  if (backend.orgId !== undefined) {
    params.orgId = String(backend.orgId);
  }
  params.panes = JSON.stringify(panes);
  return withBase(backend.baseUrl, `/explore?${query(params)}`);
}

function honeycombDatasetUrl(
  backend: HoneycombBackend,
  serviceName: string | undefined,
  environment: string | undefined,
): string | undefined {
  const dataset = backend.dataset ?? serviceName;
  if (!backend.team || !dataset) {
    return undefined;
  }
  const host =
    backend.region === 'eu' ? 'ui.eu1.honeycomb.io' : 'ui.honeycomb.io';
  const env = backend.environment ?? environment;
  const envPath = env ? `/environments/${segment(env)}` : '';
  return `https://${host}/${segment(backend.team)}${envPath}/datasets/${segment(
    dataset,
  )}`;
}

function datadogHost(site: string): string | undefined {
  if (typeof site !== 'string' || datadogSiteProblem(site)) {
    return undefined;
  }
  return DATADOG_APP_SUBDOMAIN_SITES.includes(site) ? `app.${site}` : site;
}

function withBase(baseUrl: string, pathAndQuery: string): string | undefined {
  const base = joinableBaseUrl(baseUrl);
  return base && `${base}${pathAndQuery}`;
}

/** A TraceQL string literal: quotes and backslashes escaped, so a service name cannot change the query. */
function traceQlString(value: string): string {
  return `"${value.replace(/[\\"]/g, c => `\\${c}`)}"`;
}

function segment(value: string): string {
  return encodeURIComponent(value);
}

// encodeURIComponent rather than URLSearchParams: a space becomes %20, not the form-encoding `+` that some
// single-page apps read literally.
function query(params: Record<string, string>): string {
  return Object.entries(params)
    .map(
      ([key, value]) =>
        `${encodeURIComponent(key)}=${encodeURIComponent(value)}`,
    )
    .join('&');
}
