// Everything the worker reads from its environment. OTEL_* variables are read by the OpenTelemetry SDK
// (src/telemetry.ts), never here.

/** The component name; the default stream, subject and consumer names derive from it. */
export const APP_NAME = '${{ values.name }}';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  /** PORT: health endpoints (all interfaces); 0 picks a free port. */
  port: number;
  /** SECRETS_DIR: one file per secret. */
  secretsDir: string;
  logLevel: LogLevel;
  /** NATS_URL: one or more comma-separated server URLs. */
  natsServers: string[];
  /** NATS_STREAM: the JetStream stream that stores the jobs. */
  stream: string;
  /** NATS_SUBJECT: the subject jobs are published to. */
  subject: string;
  /** NATS_CONSUMER: the durable consumer shared by every replica. */
  consumer: string;
  /** NATS_DLQ_STREAM: the stream that keeps dead-lettered jobs. */
  dlqStream: string;
  /** NATS_DLQ_SUBJECT: where a job goes after its last failed attempt. */
  dlqSubject: string;
  /** MAX_DELIVER: attempts per job before it is dead-lettered. */
  maxDeliver: number;
  /** RETRY_BASE_DELAY_MS: delay before the second attempt; it doubles per attempt. */
  retryBaseDelayMs: number;
  /** RETRY_MAX_DELAY_MS: upper bound of the retry delay. */
  retryMaxDelayMs: number;
  /** ACK_WAIT_MS: a job must finish within this, or NATS delivers it again. */
  ackWaitMs: number;
  /** CONCURRENCY: jobs processed at the same time by one replica. */
  concurrency: number;
  /** SHUTDOWN_DELAY (e.g. 5s, 300ms): after SIGTERM the worker reports not ready and keeps working this long. */
  shutdownDelayMs: number;
  /** SHUTDOWN_TIMEOUT_MS: how long a SIGTERM waits for in-flight jobs. */
  shutdownTimeoutMs: number;
}

export const DEFAULT_SECRETS_DIR = '/var/run/secrets/app';

/** Default JetStream names for a component, e.g. invoice-worker → stream invoice-worker-jobs, subject invoice-worker.jobs. */
export function defaultNames(appName: string) {
  return {
    stream: `${appName}-jobs`,
    subject: `${appName}.jobs`,
    consumer: appName,
    dlqStream: `${appName}-dlq`,
    dlqSubject: `${appName}.dlq`,
  };
}

/** Stream and consumer names may not contain whitespace, '.', '*', '>', path separators or control characters. */
const NAME = /^[^\s.*>/\\\x00-\x1f]+$/;
/** A subject without wildcards: dot-separated non-empty tokens. */
const SUBJECT = /^[^\s.*>]+(\.[^\s.*>]+)*$/;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the configuration; throws a ConfigError that names every bad variable at once. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const problems: string[] = [];
  const names = defaultNames(APP_NAME);

  const str = (key: string, fallback: string) => {
    const value = env[key]?.trim();
    return value ? value : fallback;
  };
  const int = (key: string, fallback: number, min: number, max: number) => {
    const raw = env[key]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${key}=${JSON.stringify(raw)}: want a whole number from ${min} to ${max}`);
      return fallback;
    }
    return value;
  };
  // A duration as the Go and Java services read SHUTDOWN_DELAY: whole milliseconds or seconds.
  const duration = (key: string, fallbackMs: number) => {
    const raw = env[key]?.trim();
    if (!raw) return fallbackMs;
    const match = /^(\d+)(ms|s)$/.exec(raw);
    if (!match) {
      problems.push(`${key}=${JSON.stringify(raw)}: want a duration such as 5s or 300ms`);
      return fallbackMs;
    }
    return Number(match[1]) * (match[2] === 's' ? 1000 : 1);
  };
  const name = (key: string, fallback: string) => {
    const value = str(key, fallback);
    if (!NAME.test(value)) {
      problems.push(
        `${key}=${JSON.stringify(value)}: not a valid JetStream name (no whitespace, '.', '*', '>' or slashes)`,
      );
    }
    return value;
  };
  const subject = (key: string, fallback: string) => {
    const value = str(key, fallback);
    if (!SUBJECT.test(value)) {
      problems.push(`${key}=${JSON.stringify(value)}: want a subject without wildcards, e.g. orders.jobs`);
    }
    return value;
  };

  const logLevel = str('LOG_LEVEL', 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    problems.push(`LOG_LEVEL=${JSON.stringify(env.LOG_LEVEL)}: want ${LOG_LEVELS.join(', ')}`);
  }

  const config: Config = {
    port: int('PORT', 8080, 0, 65535),
    secretsDir: str('SECRETS_DIR', DEFAULT_SECRETS_DIR),
    logLevel: (LOG_LEVELS as readonly string[]).includes(logLevel) ? (logLevel as LogLevel) : 'info',
    natsServers: str('NATS_URL', 'nats://127.0.0.1:4222')
      .split(',')
      .map(s => s.trim())
      .filter(Boolean),
    stream: name('NATS_STREAM', names.stream),
    subject: subject('NATS_SUBJECT', names.subject),
    consumer: name('NATS_CONSUMER', names.consumer),
    dlqStream: name('NATS_DLQ_STREAM', names.dlqStream),
    dlqSubject: subject('NATS_DLQ_SUBJECT', names.dlqSubject),
    maxDeliver: int('MAX_DELIVER', 5, 1, 1000),
    retryBaseDelayMs: int('RETRY_BASE_DELAY_MS', 1_000, 0, 3_600_000),
    retryMaxDelayMs: int('RETRY_MAX_DELAY_MS', 60_000, 0, 86_400_000),
    ackWaitMs: int('ACK_WAIT_MS', 30_000, 1_000, 86_400_000),
    concurrency: int('CONCURRENCY', 4, 1, 1_000),
    shutdownDelayMs: duration('SHUTDOWN_DELAY', 5_000),
    shutdownTimeoutMs: int('SHUTDOWN_TIMEOUT_MS', 20_000, 0, 3_600_000),
  };

  if (config.stream === config.dlqStream) {
    problems.push(`NATS_DLQ_STREAM must differ from NATS_STREAM (both ${JSON.stringify(config.stream)})`);
  }
  if (config.subject === config.dlqSubject) {
    problems.push(`NATS_DLQ_SUBJECT must differ from NATS_SUBJECT (both ${JSON.stringify(config.subject)})`);
  }

  if (problems.length > 0) {
    throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return config;
}
