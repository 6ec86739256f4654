// Starts the real backend (`backstage-cli package start` in packages/backend, the same path as ./scripts/start)
// as a child process on a free loopback port, with the repo's app-config files plus an override written here.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../../..');
export const backendDir = join(repoRoot, 'packages/backend');

export type RunningBackend = {
  baseUrl: string;
  logs: () => string;
  stop: () => Promise<void>;
  /** SIGKILL to the backend's process group: a crash, with no graceful shutdown. */
  kill: () => Promise<void>;
};

/**
 * A loopback port nothing listens on, for a server a test starts a moment later.
 *
 * Not one the kernel hands out for port 0: those come from the ephemeral range, the same range every outgoing
 * connection on the machine takes its local port from, so in the seconds a backend needs to start listening a client
 * connection elsewhere could take it (EADDRINUSE, seen with several suites running at once). Ports below that range
 * are never taken by outgoing connections; picking one at random and checking that it binds leaves only the tiny
 * chance that another caller picks the same one in the same moment.
 */
export async function freePort(): Promise<number> {
  const [ephemeralLow] = ephemeralPortRange();
  const low = 10_000;
  for (let attempt = 0; attempt < 50 && ephemeralLow > low + 1000; attempt++) {
    const port = low + Math.floor(Math.random() * (ephemeralLow - low));
    if (await binds(port)) return port;
  }
  return listenOnce(0);
}

// Linux's ip_local_port_range; elsewhere the IANA dynamic range, which Node's port 0 falls back to anyway.
function ephemeralPortRange(): [number, number] {
  try {
    const [lowText, highText] = readFileSync(
      '/proc/sys/net/ipv4/ip_local_port_range',
      'utf8',
    )
      .trim()
      .split(/\s+/);
    return [Number(lowText), Number(highText)];
  } catch {
    return [49152, 65535];
  }
}

const binds = (port: number) =>
  listenOnce(port).then(
    () => true,
    () => false,
  );

function listenOnce(port: number): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(port, '127.0.0.1', () => {
      const bound = (server.address() as { port: number }).port;
      server.close(() => ok(bound));
    });
  });
}

/** Writes `override` as YAML-compatible JSON into a temp file and returns its path. */
export function writeConfig(override: object): string {
  const file = join(
    mkdtempSync(join(tmpdir(), 'gp-config-')),
    'app-config.test.json',
  );
  writeFileSync(file, JSON.stringify(override, null, 2));
  return file;
}

/**
 * The config that keeps all of a backend's local state in `dir`: SQLite files, locally published repositories and
 * the local secret store, so a test never touches the developer's data/.
 */
export function localStateConfig(dir: string): object {
  return {
    backend: {
      database: {
        client: 'better-sqlite3',
        connection: { directory: join(dir, 'sqlite') },
      },
    },
    goldenPath: {
      publish: { local: { rootDirectory: join(dir, 'repos') } },
      secrets: { local: { directory: join(dir, 'secrets') } },
    },
  };
}

export async function startBackend(options: {
  configFiles: string[];
  /** Keep all local state in this folder ({@link localStateConfig}); the override can still change any of it. */
  stateDir?: string;
  override: (baseUrl: string, port: number) => object;
  env?: Record<string, string>;
  readyTimeoutMs?: number;
  /** Keep the host the config files set (to test it) instead of forcing loopback. */
  keepConfiguredListenHost?: boolean;
}): Promise<RunningBackend> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  // Backstage merges config files deeply, later files winning.
  const listenFile = writeConfig({
    backend: {
      baseUrl,
      listen: options.keepConfiguredListenHost
        ? { port }
        : { port, host: '127.0.0.1' },
    },
  });
  const stateFiles = options.stateDir
    ? [writeConfig(localStateConfig(options.stateDir))]
    : [];
  const overrideFile = writeConfig(options.override(baseUrl, port));
  const args = ['package', 'start'];
  for (const file of [
    ...options.configFiles,
    ...stateFiles,
    overrideFile,
    listenFile,
  ]) {
    args.push('--config', file);
  }
  const child: ChildProcess = spawn(
    join(repoRoot, 'node_modules/.bin/backstage-cli'),
    args,
    {
      cwd: backendDir,
      env: {
        ...process.env,
        ...options.env,
        NODE_ENV: 'development',
        FORCE_COLOR: '0',
      },
      detached: true, // own process group, so stop() ends the watcher and the backend it forks, and nothing else
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', d => (output += d));
  child.stderr!.on('data', d => (output += d));
  const exited = new Promise<void>(done => child.once('exit', () => done()));

  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 10_000);
      await exited;
      clearTimeout(timer);
    }
  };

  const kill = async () => {
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      await exited;
    }
  };

  const logs = () => output;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 120_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(
        `backend exited with ${
          child.exitCode
        } before it was ready:\n${output.slice(-4000)}`,
      );
    }
    // The dev watcher keeps running after the backend itself fails, so look for the failure in its output.
    const failure = output.match(
      /.*(Unhandled rejection|Backend failed to start).*/,
    );
    if (failure) {
      await stop();
      throw new Error(
        `backend failed to start: ${failure[0]}\n${output.slice(-4000)}`,
      );
    }
    const ready = await fetch(
      `${baseUrl}/.backstage/health/v1/readiness`,
    ).catch(() => undefined);
    if (ready?.ok) {
      return { baseUrl, logs, stop, kill };
    }
    await new Promise(r => setTimeout(r, 500));
  }
  await stop();
  throw new Error(
    `backend was not ready within the timeout:\n${output.slice(-4000)}`,
  );
}

/** Polls `check` every 500 ms until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(
    `timed out waiting for ${what}${lastError ? `: ${lastError}` : ''}`,
  );
}
