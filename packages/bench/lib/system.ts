// The machine the numbers come from, the tools each section needs, and the bookkeeping every section shares:
// timed steps and cleanups that run even when a section fails or the run is interrupted.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../test-utils/src/backendProcess.ts';

export const CHROMIUM = '/usr/bin/chromium';

/** First line of a command's output (stdout, else stderr), or undefined when it cannot run. */
function firstLine(
  command: string,
  args: string[],
  okStatus: number[] = [0],
): string | undefined {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    timeout: 20_000,
  });
  if (result.error || !okStatus.includes(result.status ?? -1)) return undefined;
  return `${result.stdout}\n${result.stderr}`
    .split('\n')
    .map(l => l.trim())
    .find(l => l !== '');
}

export type Machine = {
  cores: number;
  cpu: string;
  memoryGiB: number;
  node: string;
  go?: string;
  java?: string;
  chromium?: string;
  wrk?: string;
  natsServer?: string;
  commit?: string;
};

export function describeMachine(): Machine {
  return {
    cores: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    go: firstLine('go', ['version'])?.replace(/^go version /, ''),
    java: firstLine('java', ['-version']),
    chromium: existsSync(CHROMIUM)
      ? firstLine(CHROMIUM, ['--version'])
      : undefined,
    // `wrk --version` prints the version and the usage, and exits 1.
    wrk: firstLine('wrk', ['--version'], [0, 1])?.split(' [')[0],
    natsServer: firstLine(
      [
        '/usr/sbin/nats-server',
        '/usr/bin/nats-server',
        '/usr/local/bin/nats-server',
      ].find(existsSync) ?? 'nats-server',
      ['--version'],
    ),
    commit: firstLine('git', ['-C', repoRoot, 'rev-parse', '--short', 'HEAD']),
  };
}

export function machineMarkdown(m: Machine): string {
  return [
    `- **Cores** (\`os.availableParallelism()\`): ${m.cores} — ${m.cpu}, ${m.memoryGiB} GiB RAM`,
    `- **Node** ${m.node}; **Go** ${m.go ?? 'missing'}; **Java** ${
      m.java ?? 'missing'
    }`,
    `- **Chromium** ${m.chromium ?? 'missing'}; **wrk** ${
      m.wrk ?? 'missing'
    }; **nats-server** ${m.natsServer ?? 'missing'}`,
    `- **Commit** ${
      m.commit ?? 'unknown'
    } (uncommitted changes, if any, are included)`,
  ].join('\n');
}

/** Tools a section needs: how to check for each, and how to install it. */
const TOOLS: Record<string, { present: () => boolean; install: string }> = {
  wrk: {
    present: () => firstLine('wrk', ['--version'], [0, 1]) !== undefined,
    install: 'apt-get update && apt-get install -y wrk',
  },
  vegeta: {
    present: () =>
      existsSync(join(repoRoot, '.tools/go/bin/vegeta')) ||
      firstLine('vegeta', ['-version']) !== undefined,
    install:
      'source scripts/lib/toolchain.sh && ensure_go_tools (builds the pinned vegeta into .tools/go/bin; ./scripts/test does it too)',
  },
  chromium: {
    present: () => existsSync(CHROMIUM),
    install: 'apt-get update && apt-get install -y chromium',
  },
  go: {
    present: () => firstLine('go', ['version']) !== undefined,
    install: 'Go 1.26 from https://go.dev/dl/ (on PATH as `go`)',
  },
  java: {
    present: () => firstLine('java', ['-version']) !== undefined,
    install: 'apt-get update && apt-get install -y openjdk-17-jdk-headless',
  },
  'nats-server': {
    present: () =>
      [
        '/usr/sbin/nats-server',
        '/usr/bin/nats-server',
        '/usr/local/bin/nats-server',
      ].some(existsSync),
    install: 'apt-get update && apt-get install -y nats-server',
  },
  git: {
    present: () => firstLine('git', ['--version']) !== undefined,
    install: 'apt-get update && apt-get install -y git',
  },
  kube: {
    present: () =>
      existsSync(join(repoRoot, '.tools/kube')) &&
      existsSync(join(repoRoot, '.tools/kube/crds')),
    install:
      './scripts/test builds the control plane and collects the CRDs once (scripts/lib/kube-tools.sh)',
  },
  npm: {
    present: () => firstLine('npm', ['--version']) !== undefined,
    install:
      'npm comes with Node (scripts/lib/toolchain.sh puts Node 22 on PATH)',
  },
};

/** The missing tools with their install hints; empty when everything is there. */
export function missingTools(
  needed: Iterable<string>,
): Array<{ tool: string; install: string }> {
  return [...new Set(needed)]
    .filter(tool => !TOOLS[tool].present())
    .map(tool => ({ tool, install: TOOLS[tool].install }));
}

/** Steps with their durations, for the "where the time went" table. */
export class Timings {
  readonly steps: Array<{ step: string; seconds: number }> = [];

  async time<T>(step: string, fn: () => Promise<T> | T): Promise<T> {
    const started = performance.now();
    log(`… ${step}`);
    try {
      return await fn();
    } finally {
      const seconds = (performance.now() - started) / 1000;
      this.steps.push({ step, seconds });
      log(`✓ ${step} (${seconds.toFixed(1)} s)`);
    }
  }
}

/** Cleanups of everything the run started (backends, services, browsers), newest first. */
const cleanups: Array<{ what: string; fn: () => Promise<void> | void }> = [];

export function onCleanup(
  what: string,
  fn: () => Promise<void> | void,
): () => Promise<void> {
  const entry = { what, fn };
  cleanups.push(entry);
  return async () => {
    const index = cleanups.indexOf(entry);
    if (index >= 0) cleanups.splice(index, 1);
    await fn();
  };
}

export async function cleanupAll(): Promise<void> {
  while (cleanups.length) {
    const { what, fn } = cleanups.pop()!;
    try {
      await fn();
    } catch (error) {
      log(`cleanup of ${what} failed: ${error}`);
    }
  }
}

/** A temp dir that the end of the run removes (generated repositories, builds and portal state are not kept). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  removeAtExit(dir);
  return dir;
}

export function removeAtExit(path: string): void {
  onCleanup(`temp ${path}`, () =>
    rmSync(path, { recursive: true, force: true }),
  );
}

export function log(message: string): void {
  const time = new Date().toISOString().slice(11, 19);
  process.stderr.write(`[bench ${time}] ${message}\n`);
}

export const sleep = (msDelay: number) =>
  new Promise<void>(resolve => setTimeout(resolve, msDelay));
