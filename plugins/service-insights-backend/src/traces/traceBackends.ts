import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import {
  TRACE_QUERY_BACKEND_TYPES,
  TraceQueryBackendType,
  baseUrlProblem,
} from '@golden-path/common';

/** A tracing backend whose query API the backend asks for traces (`serviceInsights.traceQuery.backends`). */
export interface TraceQueryBackend {
  type: TraceQueryBackendType;
  title: string;
  /** Without trailing slashes. */
  baseUrl: string;
  /** Sent with every request to this backend only (e.g. Authorization); never logged, never sent to the browser. */
  headers: Record<string, string>;
}

export interface TraceQueryConfig {
  backends: TraceQueryBackend[];
  /** Per request to a backend, including reading the body. */
  timeoutMs: number;
  /** A larger answer is abandoned while it is read, not buffered. */
  maxResponseBytes: number;
}

const DEFAULT_TIMEOUT_MS = 5_000;
const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
const DEFAULT_TITLES: Record<TraceQueryBackendType, string> = {
  jaeger: 'Jaeger',
  tempo: 'Grafana Tempo',
};

/** Reads `serviceInsights.traceQuery`; a bad entry stops the backend at startup with the key at fault. */
export function readTraceQueryConfig(config: Config): TraceQueryConfig {
  const root = config.getOptionalConfig('serviceInsights.traceQuery');
  const key = (suffix: string) => `serviceInsights.traceQuery.${suffix}`;
  const backends = (root?.getOptionalConfigArray('backends') ?? []).map(
    (entry, index): TraceQueryBackend => {
      const type = entry.getString('type');
      if (!(TRACE_QUERY_BACKEND_TYPES as readonly string[]).includes(type)) {
        throw new Error(
          `${key(
            `backends[${index}].type`,
          )}: must be one of ${TRACE_QUERY_BACKEND_TYPES.join(
            ', ',
          )}, not "${type}"`,
        );
      }
      const baseUrl = entry.getString('baseUrl');
      const problem = baseUrlProblem(baseUrl);
      if (problem) {
        throw new Error(
          `${key(`backends[${index}].baseUrl`)}: ${problem}${
            problem.includes('credentials')
              ? ' (put them in headers, which only this backend receives)'
              : ''
          }`,
        );
      }
      const headersConfig = entry.getOptionalConfig('headers');
      const headers: Record<string, string> = {};
      for (const name of headersConfig?.keys() ?? []) {
        headers[name] = headersConfig!.getString(name);
      }
      return {
        type: type as TraceQueryBackendType,
        title:
          entry.getOptionalString('title') ??
          DEFAULT_TITLES[type as TraceQueryBackendType],
        baseUrl: new URL(baseUrl).href.replace(/\/+$/, ''),
        headers,
      };
    },
  );
  const timeoutMs = root?.has('timeout')
    ? durationToMilliseconds(readDurationFromConfig(root, { key: 'timeout' }))
    : DEFAULT_TIMEOUT_MS;
  const maxResponseBytes =
    root?.getOptionalNumber('maxResponseBytes') ?? DEFAULT_MAX_RESPONSE_BYTES;
  if (!(timeoutMs > 0)) {
    throw new Error(`${key('timeout')}: must be longer than zero`);
  }
  if (!(maxResponseBytes > 0)) {
    throw new Error(`${key('maxResponseBytes')}: must be a positive number`);
  }
  return { backends, timeoutMs, maxResponseBytes };
}
