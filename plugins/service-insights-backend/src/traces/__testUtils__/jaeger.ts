// A real Jaeger v2 (cmd/jaeger of github.com/jaegertracing/jaeger, built by ./scripts/jaeger into .tools) on
// loopback ports the OS picks, with in-memory storage, and a real trace sent to it through the OpenTelemetry Go
// SDK (scripts/trace-emitter). Used by the live test and by scripts/record-trace-fixtures.ts.
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Keep in step with JAEGER_VERSION_PIN in scripts/lib/jaeger.sh. */
export const JAEGER_VERSION = 'v1.76.0';

const repoRoot = resolve(__dirname, '../../../../..');
const emitterDir = resolve(__dirname, '../../../scripts/trace-emitter');

/** The built Jaeger binary, or undefined when `./scripts/jaeger` has not built it on this machine. */
export function jaegerBinary(): string | undefined {
  const bin = join(repoRoot, '.tools/jaeger', JAEGER_VERSION, 'jaeger');
  return existsSync(bin) ? bin : undefined;
}

/** The services the emitted trace holds (scripts/trace-emitter/main.go). */
export const EMITTED_SERVICES = [
  'checkout-api',
  'payments-api',
  'fraud-scoring',
  'ledger-worker',
];

export interface RunningJaeger {
  /** Query API and UI, e.g. http://127.0.0.1:PORT (`/api/v3/traces/{id}`). */
  queryUrl: string;
  /** OTLP/HTTP receiver base URL (`/v1/traces`). */
  otlpUrl: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
  });
}

/** Starts Jaeger with memory storage, OTLP/HTTP in and the query API out, nothing else listening. */
export async function startJaeger(bin: string): Promise<RunningJaeger> {
  const dir = mkdtempSync(join(tmpdir(), 'gp-jaeger-'));
  const [otlp, query, queryGrpc] = [
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const config = join(dir, 'config.yaml');
  // The all-in-one config of cmd/jaeger (internal/all-in-one.yaml), reduced to what the tests need, on free ports.
  writeFileSync(
    config,
    `service:
  extensions: [jaeger_storage, jaeger_query]
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics:
      level: none
    logs:
      level: warn
extensions:
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: 1000
  jaeger_query:
    storage:
      traces: memstore
    http:
      endpoint: 127.0.0.1:${query}
    grpc:
      endpoint: 127.0.0.1:${queryGrpc}
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:${otlp}
exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
`,
  );
  const child: ChildProcess = spawn(bin, ['--config', config], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr!.on('data', chunk => {
    log = (log + chunk).slice(-8000);
  });
  const exited = new Promise<void>(ok => child.once('exit', () => ok()));
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise(ok => setTimeout(ok, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const queryUrl = `http://127.0.0.1:${query}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`jaeger exited with ${child.exitCode}: ${log}`);
    }
    const ready = await fetch(`${queryUrl}/api/v3/services`)
      .then(r => r.ok)
      .catch(() => false);
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`jaeger's query API did not answer within 60 s: ${log}`);
    }
    await new Promise(ok => setTimeout(ok, 200));
  }
  return { queryUrl, otlpUrl: `http://127.0.0.1:${otlp}`, stop };
}

/** Builds the emitter once per call site (Go build cache makes later builds instant) and returns its path. */
export function buildTraceEmitter(): string {
  const out = join(mkdtempSync(join(tmpdir(), 'gp-emitter-')), 'trace-emitter');
  execFileSync('go', ['build', '-o', out, '.'], {
    cwd: emitterDir,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, GOWORK: 'off' },
  });
  return out;
}

/** Sends one checkout trace across {@link EMITTED_SERVICES}; returns its trace id. */
export function emitTrace(emitter: string, otlpUrl: string): string {
  return execFileSync(emitter, ['-endpoint', otlpUrl], {
    timeout: 60_000,
  })
    .toString()
    .trim();
}

/** Waits until Jaeger returns the trace with every emitted service (the receiver stores asynchronously). */
export async function waitForTrace(
  queryUrl: string,
  traceId: string,
): Promise<unknown> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await fetch(`${queryUrl}/api/v3/traces/${traceId}`);
    if (res.ok) {
      const body = await res.json();
      const text = JSON.stringify(body);
      if (EMITTED_SERVICES.every(s => text.includes(`"${s}"`))) return body;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `jaeger did not return trace ${traceId} with all services within 30 s (last status ${res.status})`,
      );
    }
    await new Promise(ok => setTimeout(ok, 200));
  }
}
