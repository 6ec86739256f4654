// A throwaway NATS server with JetStream (Debian's nats-server) on a free loopback port, for the node-worker run.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type NatsServer = { url: string; stop: () => Promise<void> };

export async function startNatsServer(): Promise<NatsServer> {
  const binary = [
    '/usr/sbin/nats-server',
    '/usr/bin/nats-server',
    '/usr/local/bin/nats-server',
  ].find(existsSync);
  if (!binary) {
    throw new Error(
      'nats-server is missing: ./scripts/test installs the Debian package nats-server',
    );
  }
  const child = spawn(
    binary,
    [
      '-js',
      '-a',
      '127.0.0.1',
      '-p',
      '-1',
      '-sd',
      mkdtempSync(join(tmpdir(), 'gp-nats-')),
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const exited = new Promise<void>(done => child.once('exit', () => done()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`nats-server did not start:\n${output}`)),
      10_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk;
      const listening = output.match(
        /Listening for client connections on (\S+):(\d+)/,
      );
      if (listening && output.includes('Server is ready')) {
        clearTimeout(timer);
        resolve(`nats://${listening[1]}:${listening[2]}`);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
  });
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
