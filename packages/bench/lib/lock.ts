// The machine-wide benchmark lock: timing measurements hold it so that only one runs at a time, while long setup
// (a 100,000-entity catalog ingestion) runs without it. `flock(1)` holds the lock for as long as its child runs;
// the child here is `cat`, which ends when the bench closes its stdin.
import { spawn } from 'node:child_process';
import { log, onCleanup } from './system.ts';

/** Waits for the lock file `path` and returns its release; no lock file, no waiting. */
export async function holdBenchLock(
  path: string | undefined,
): Promise<() => Promise<void>> {
  if (!path) return async () => {};
  log(`waiting for the benchmark lock ${path}`);
  const child = spawn('flock', [path, 'sh', '-c', 'echo locked; exec cat'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>(done => child.once('exit', () => done()));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('error', reject);
    child.once('exit', code =>
      reject(new Error(`flock ${path} exited (${code}) before locking`)),
    );
  });
  log(`holding the benchmark lock ${path}`);
  return onCleanup(`benchmark lock ${path}`, async () => {
    child.stdin!.end();
    await exited;
  });
}
