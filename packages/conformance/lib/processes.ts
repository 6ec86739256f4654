// Runs generated services the way Kubernetes would: env from their generated config, SIGTERM to stop.
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
