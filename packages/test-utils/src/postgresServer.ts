// A throwaway PostgreSQL server for tests: Debian's server binaries, a temp data dir, loopback only, password auth.
// Started and stopped by the test that uses it.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './backendProcess.ts';

export type PostgresServer = {
  host: string;
  port: number;
  user: string;
  password: string;
  stop: () => void;
};

function serverBinary(name: string): string {
  const onPath = ['/usr/local/bin', '/usr/bin']
    .map(d => join(d, name))
    .find(existsSync);
  if (onPath) return onPath;
  const versions = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql').sort().reverse()
    : [];
  for (const v of versions) {
    const candidate = join('/usr/lib/postgresql', v, 'bin', name);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(
    `PostgreSQL's ${name} was not found: ./scripts/test installs the postgresql package (Debian), or install PostgreSQL yourself`,
  );
}

/**
 * @param options.settings - server settings (`-c key=value`), e.g. `{ synchronous_commit: 'off' }` for a benchmark
 *   whose numbers should not be the shared disk's flush latency.
 */
export async function startPostgres(
  options: { settings?: Record<string, string> } = {},
): Promise<PostgresServer> {
  const dir = mkdtempSync(join(tmpdir(), 'gp-postgres-'));
  const dataDir = join(dir, 'data');
  let port = 0;
  const user = 'backstage';
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const pwFile = join(dir, 'pwfile');
  writeFileSync(pwFile, password);

  // PostgreSQL refuses to run as root: as root, run it as the postgres system user the Debian package creates.
  const asRoot = userInfo().uid === 0;
  const run = (bin: string, args: string[]) =>
    execFileSync(
      asRoot ? 'runuser' : serverBinary(bin),
      asRoot ? ['-u', 'postgres', '--', serverBinary(bin), ...args] : args,
      {
        stdio: 'pipe',
      },
    );
  if (asRoot) {
    const { uid, gid } = JSON.parse(
      execFileSync('sh', [
        '-c',
        'echo "{\\"uid\\":$(id -u postgres),\\"gid\\":$(id -g postgres)}"',
      ]).toString(),
    );
    chownSync(dir, uid, gid);
    chownSync(pwFile, uid, gid);
  }
  chmodSync(pwFile, 0o600);

  run('initdb', [
    '-D',
    dataDir,
    '-U',
    user,
    '--auth=scram-sha-256',
    `--pwfile=${pwFile}`,
    '--encoding=UTF8',
  ]);
  // A free port can still be taken by another process before the server binds it: try another one.
  const serverLog = join(dir, 'server.log');
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      run('pg_ctl', [
        '-D',
        dataDir,
        '-l',
        serverLog,
        '-o',
        [
          `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir}`,
          ...Object.entries(options.settings ?? {}).map(
            ([key, value]) => `-c ${key}=${value}`,
          ),
        ].join(' '),
        '-w',
        'start',
      ]);
      break;
    } catch (error) {
      // pg_ctl only says "examine the log output": put the log's end into the error, the temp dir goes away.
      const log = existsSync(serverLog) ? readFileSync(serverLog, 'utf8') : '';
      if (attempt >= 5 || !log.includes('Address already in use')) {
        throw new Error(
          `PostgreSQL did not start on 127.0.0.1:${port}: ${String(
            error,
          )}\n${log.slice(-2000)}`,
        );
      }
    }
  }
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    stop: () => {
      try {
        run('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
