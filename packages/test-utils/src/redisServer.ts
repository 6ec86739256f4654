// A throwaway Redis server for tests: Debian's redis-server on a free loopback port, no persistence, stopped by PID.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './backendProcess.ts';

export type RedisServer = { url: string; stop: () => Promise<void> };

export async function startRedis(): Promise<RedisServer> {
  const binary = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find(
    existsSync,
  );
  if (!binary) {
    throw new Error(
      'redis-server was not found: ./scripts/test installs the redis-server package (Debian), or install Redis yourself',
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'gp-redis-'));
  const port = await freePort();
  const child = spawn(
    binary,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>(done => child.once('exit', () => done()));
  const deadline = Date.now() + 15_000;
  for (;;) {
    const up = await new Promise<boolean>(done => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        done(true);
      });
      socket.once('error', () => done(false));
    });
    if (up) break;
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error('redis-server did not start');
    }
    await new Promise(r => setTimeout(r, 100));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
