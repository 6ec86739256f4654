// Starts the portal the project's own way: ./scripts/start (yarn start = backstage-cli repo start), frontend on
// :3000 and backend on :7007, with the repo's app-config.yaml plus an override that moves every piece of state
// (SQLite, locally published repositories, the local secret store) into a temp dir, so the developer's data/ stays
// untouched. The process group it spawns is the only thing it ever stops.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { repoRoot } from '../../test-utils/src/backendProcess.ts';

export const APP_URL = 'http://localhost:3000';
export const BACKEND_URL = 'http://localhost:7007';

export type RunningPortal = {
  /** The temp dir holding the portal's state for this run. */
  stateDir: string;
  logs: () => string;
  /** Fails with the tail of the output if the portal has exited (or printed a fatal startup error). */
  assertAlive: () => void;
  stop: () => Promise<void>;
};

/** True when something accepts TCP connections on localhost:port. */
function portInUse(port: number): Promise<boolean> {
  return new Promise(done => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      done(false);
    });
    socket.once('error', () => done(false));
  });
}

/**
 * Extra config files, after the repo's and the override: `E2E_EXTRA_CONFIG=/abs/a.yaml,/abs/b.yaml` (e.g. to try a
 * config change against the real journey before it lands in app-config.yaml).
 */
export function extraConfigFiles(): string[] {
  return (process.env.E2E_EXTRA_CONFIG ?? '')
    .split(',')
    .map(file => file.trim())
    .filter(Boolean);
}

export async function startPortal(
  options: {
    readyTimeoutMs?: number;
    keepState?: boolean;
    /** Config files loaded after the repo's and the override (later files win). */
    configFiles?: string[];
  } = {},
): Promise<RunningPortal> {
  // A portal already listening would answer our checks and the test would drive someone else's instance.
  for (const port of [3000, 7007]) {
    if (await portInUse(port)) {
      throw new Error(
        `port ${port} is already in use: stop the running portal (./scripts/start) before the e2e tests`,
      );
    }
  }

  const stateDir = mkdtempSync(join(tmpdir(), 'gp-e2e-'));
  for (const dir of ['sqlite', 'repos', 'secrets']) {
    mkdirSync(join(stateDir, dir), { mode: 0o700 });
  }
  const overrideFile = join(stateDir, 'app-config.e2e.yaml');
  writeFileSync(
    overrideFile,
    stringify({
      backend: {
        database: { connection: { directory: join(stateDir, 'sqlite') } },
      },
      goldenPath: {
        publish: { local: { rootDirectory: join(stateDir, 'repos') } },
        secrets: { local: { directory: join(stateDir, 'secrets') } },
      },
    }),
  );

  // `repo start` hands the same --config list to the app and the backend (it replaces app-config.yaml, so the
  // repo's file comes first and the override second; later files win).
  const configArgs = [
    join(repoRoot, 'app-config.yaml'),
    overrideFile,
    ...(options.configFiles ?? []),
    ...extraConfigFiles(),
  ].flatMap(file => ['--config', file]);
  const child: ChildProcess = spawn(
    join(repoRoot, 'scripts/start'),
    configArgs,
    {
      cwd: repoRoot,
      env: { ...process.env, FORCE_COLOR: '0', BROWSER: 'none' },
      detached: true, // own process group: stop() ends yarn, the CLI, the dev server and the backend, nothing else
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const append = (d: Buffer) => {
    output += d;
    if (output.length > 400_000) output = output.slice(-200_000);
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<void>(done => child.once('exit', () => done()));
  const tail = () => output.slice(-4000);

  // The group is detached, so it would outlive this process: end it when the test run is interrupted or crashes.
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // the group is gone
    }
  };
  const onExit = () => killGroup('SIGKILL');
  const onSignal = (signal: NodeJS.Signals) => {
    killGroup('SIGTERM');
    setTimeout(() => {
      killGroup('SIGKILL');
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }, 3_000);
  };
  process.once('exit', onExit);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const stop = async () => {
    process.off('exit', onExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    const pid = child.pid;
    if (pid && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const killer = setTimeout(() => {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 15_000);
      await exited;
      clearTimeout(killer);
    }
    // The group leader may exit before its children; make sure none of the group survives.
    if (pid) {
      await new Promise(r => setTimeout(r, 500));
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // the group is gone
      }
    }
    if (!options.keepState) {
      rmSync(stateDir, { recursive: true, force: true });
    }
  };

  const assertAlive = () => {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `the portal exited (${child.exitCode ?? child.signalCode}):\n${tail()}`,
      );
    }
    // The dev watcher keeps running after the backend itself fails, so look for the failure in the output.
    const failure = output.match(
      /.*(Backend failed to start|Unhandled rejection|Failed to compile).*/,
    );
    if (failure) {
      throw new Error(`the portal failed: ${failure[0]}\n${tail()}`);
    }
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 300_000);
  let backendReady = false;
  let appReady = false;
  try {
    while (Date.now() < deadline) {
      assertAlive();
      if (!backendReady) {
        const res = await fetch(
          `${BACKEND_URL}/.backstage/health/v1/readiness`,
          { signal: AbortSignal.timeout(5000) },
        ).catch(() => undefined);
        backendReady = res?.ok ?? false;
      }
      if (!appReady) {
        // The dev server holds requests until the first compile is done, then serves index.html.
        const res = await fetch(APP_URL, {
          signal: AbortSignal.timeout(60_000),
        }).catch(() => undefined);
        appReady =
          (res?.ok ?? false) && (await res!.text()).includes('id="root"');
      }
      if (backendReady && appReady) {
        return { stateDir, logs: () => output, assertAlive, stop };
      }
      await new Promise(r => setTimeout(r, 1000));
    }
    throw new Error(
      `the portal was not ready within ${Math.round(
        (options.readyTimeoutMs ?? 300_000) / 1000,
      )} s (backend ready: ${backendReady}, app ready: ${appReady}):\n${tail()}`,
    );
  } catch (error) {
    await stop();
    throw error;
  }
}
