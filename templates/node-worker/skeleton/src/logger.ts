// JSON lines on stdout, one object per event, with the trace and span ids of the active span so logs and
// traces can be joined. Never pass secret values as fields.
import { INVALID_TRACEID, trace } from '@opentelemetry/api';
import type { LogLevel } from './config.ts';

export type Fields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
}

const SEVERITY: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function serialise(value: unknown): unknown {
  if (value instanceof Error) return value.message;
  if (typeof value === 'bigint') return value.toString();
  return value;
}

export function createLogger(options: { level: LogLevel; write?: (line: string) => void; now?: () => Date }): Logger {
  const { level, write = line => process.stdout.write(line), now = () => new Date() } = options;
  const log =
    (at: LogLevel) =>
    (msg: string, fields: Fields = {}) => {
      if (SEVERITY[at] < SEVERITY[level]) return;
      const entry: Fields = { time: now().toISOString(), level: at.toUpperCase(), msg };
      const span = trace.getActiveSpan()?.spanContext();
      // The SDK and the propagators only make valid ids; the no-op tracer's span has the all-zero trace id. (The
      // API's isSpanContextValid runs two regular expressions for each line.)
      if (span && span.traceId !== INVALID_TRACEID) {
        entry.trace_id = span.traceId;
        entry.span_id = span.spanId;
      }
      for (const [key, value] of Object.entries(fields)) entry[key] = serialise(value);
      write(`${JSON.stringify(entry)}\n`);
    };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** A logger that drops everything, for tests. */
export const silentLogger: Logger = createLogger({ level: 'error', write: () => {} });
