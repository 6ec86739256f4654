// Runs generated services the way Kubernetes would: env from their generated config, SIGTERM to stop.
import { randomBytes } from 'node:crypto';
import {
  spawn,
  spawnSync,
  type ChildProcess,
  type SpawnSyncOptions,
} from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Runs a command to completion; throws with its output when it fails. */
export function run(
  command: string,
  args: string[],
  options: SpawnSyncOptions & { cwd: string },
): string {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    ...options,
  });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${
        result.status ?? result.signal
      }):\n${result.stdout}\n${result.stderr}`,
    );
  }
  return `${result.stdout}${result.stderr}`;
}

/** The entries of a generated dotenv file, e.g. deploy/base/otel.env. */
export function readEnvFile(path: string): Record<string, string> {
  return Object.fromEntries(
    readFileSync(path, 'utf8')
      .split('\n')
      .map(line => line.match(/^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/))
      .filter((m): m is RegExpMatchArray => m !== null)
      .map(m => [m[1], m[2]]),
  );
}

export type RunningService = {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
};

export function startService(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
): RunningService {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', d => (output += d));
  child.stderr!.on('data', d => (output += d));
  const exited = new Promise<number | null>(done =>
    child.once('exit', code => done(code)),
  );
  return { child, output: () => output, exited };
}

/** Sends SIGTERM and returns the exit code and how long the service took to exit; kills it after `timeoutMs`. */
export async function terminate(
  service: RunningService,
  timeoutMs = 10_000,
): Promise<{ code: number | null; ms: number }> {
  const started = Date.now();
  service.child.kill('SIGTERM');
  const timer = setTimeout(
    () => service.child.kill('SIGKILL'),
    timeoutMs + 5_000,
  );
  const code = await service.exited;
  clearTimeout(timer);
  return { code, ms: Date.now() - started };
}

export async function waitForHttp(
  url: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await fetch(url).catch(() => undefined);
    if (res?.ok) return;
    await new Promise(r => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

export const repoFile = (repoDir: string, path: string) =>
  readFileSync(join(repoDir, path), 'utf8');

/**
 * Starts an HTTP service, waits for its readiness path, sends one request carrying a fresh sampled traceparent,
 * then SIGTERM: what the conformance run needs from every HTTP template.
 */
export async function runTracedHttpRequest(options: {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  port: number;
  readyPath: string;
  requestPath: string;
  readyTimeoutMs?: number;
}) {
  const { port } = options;
  const service = startService(options.command, options.args, options.cwd, {
    ...options.env,
    PORT: String(port),
  });
  await waitForHttp(
    `http://127.0.0.1:${port}${options.readyPath}`,
    options.readyTimeoutMs,
  );
  const traceId = randomBytes(16).toString('hex');
  const parentSpanId = randomBytes(8).toString('hex');
  const res = await fetch(`http://127.0.0.1:${port}${options.requestPath}`, {
    headers: { traceparent: `00-${traceId}-${parentSpanId}-01` },
  });
  if (res.status !== 200) {
    throw new Error(
      `${options.requestPath} answered ${res.status}:\n${service
        .output()
        .slice(-2000)}`,
    );
  }
  const { code, ms } = await terminate(service);
  return {
    traceId,
    parentSpanId,
    exitCode: code,
    shutdownMs: ms,
    output: service.output(),
  };
}
