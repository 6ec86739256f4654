// A real NATS server with JetStream for the integration tests: NATS_URL when set (CI starts one), otherwise a
// nats-server binary started here on a free loopback port with a throwaway store, and stopped afterwards.
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface TestNatsServer {
  url: string;
  stop(): Promise<void>;
}

const HOW_TO_GET_ONE = [
  'The integration tests need a NATS server with JetStream, and found none.',
  'Either install nats-server so it is on PATH:',
  '  Debian/Ubuntu: sudo apt-get install nats-server   (installs /usr/sbin/nats-server)',
  '  macOS:         brew install nats-server',
  '  other:         https://github.com/nats-io/nats-server/releases',
  'or point the tests at a running server started with JetStream (nats-server -js, or docker run -p 4222:4222 nats:2.10 -js):',
  '  NATS_URL=nats://127.0.0.1:4222 npm test',
].join('\n');

/** Finds nats-server on PATH, then in the sbin directories Debian installs it to (often not on a user's PATH). */
export function findNatsServer(path = process.env.PATH ?? ''): string | undefined {
  const dirs = [...path.split(delimiter), '/usr/sbin', '/usr/local/sbin'].filter(Boolean);
  for (const dir of dirs) {
    const candidate = join(dir, 'nats-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export async function startNatsServer(): Promise<TestNatsServer> {
  const external = process.env.NATS_URL?.trim();
  if (external) return { url: external, stop: async () => {} };

  const binary = findNatsServer();
  if (!binary) throw new Error(HOW_TO_GET_ONE);

  const storeDir = mkdtempSync(join(tmpdir(), 'nats-js-'));
  // -p -1: the server picks a free port and logs it.
  const child = spawn(binary, ['-js', '-a', '127.0.0.1', '-p', '-1', '-sd', storeDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nats-server did not start within 10 s:\n${output}`)), 10_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const listening = output.match(/Listening for client connections on (\S+):(\d+)/);
      if (listening && output.includes('Server is ready')) {
        clearTimeout(timer);
        resolve(`nats://${listening[1]}:${listening[2]}`);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', error => {
      clearTimeout(timer);
      reject(error);
    });
    void exited.then(code => {
      clearTimeout(timer);
      reject(new Error(`nats-server exited with ${code} before it was ready:\n${output}`));
    });
  }).catch(error => {
    child.kill('SIGKILL');
    rmSync(storeDir, { recursive: true, force: true });
    throw error;
  });

  return {
    url,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}
