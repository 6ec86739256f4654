// The generated services the tracing and footprint benchmarks run: rendered through the real scaffolder
// (packages/test-utils/src/generate.ts), built with their own toolchains, started like Kubernetes would start them
// (env from the generated deploy/base/otel.env), with their output going to a file rather than through this process.
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import YAML from 'yaml';
import { generate, type Portal } from '../../test-utils/src/generate.ts';
import { sampleServiceValues } from '../../test-utils/src/sampleValues.ts';
import {
  readEnvFile,
  run,
  type RunningService,
} from '../../test-utils/src/processes.ts';
import { removeAtExit, tempDir } from './system.ts';

export const TEMPLATES = ['go-api', 'java-api', 'node-worker'] as const;
export type TemplateName = (typeof TEMPLATES)[number];

/** The form values a user would enter; the same the conformance run uses, with a bench- name. */
export function sampleValues(template: TemplateName): Record<string, unknown> {
  return {
    name: `bench-${template}`,
    description: `Benchmark sample for ${template}`,
    ...sampleServiceValues(),
    lifecycle: 'experimental',
    secrets: ['DB_PASSWORD', 'STRIPE_API_KEY'],
    publishTarget: 'local',
  };
}

// As the SecretValues field sends them: one value for every environment.
export const sampleSecrets = { DB_PASSWORD: 'bench-only-value' };

export type BuiltService = {
  template: TemplateName;
  repoDir: string;
  command: string;
  args: string[];
  /** Path answering 200 once the service takes traffic. */
  readyPath: string;
  /** The generated OTEL_* settings (deploy/base/otel.env) and a SECRETS_DIR with one secret. */
  baseEnv: Record<string, string>;
};

export async function generateService(
  portal: Portal,
  template: TemplateName,
): Promise<string> {
  const { repoDir } = await generate(
    portal,
    template,
    sampleValues(template),
    sampleSecrets,
  );
  removeAtExit(dirname(repoDir));
  return repoDir;
}

function secretsDir(): string {
  const dir = tempDir('gp-bench-secrets-');
  writeFileSync(join(dir, 'DB_PASSWORD'), 'bench-only-value\n');
  return dir;
}

/**
 * The JVM flags the generated image runs with (its Dockerfile's ENTRYPOINT, e.g. -XX:MaxRAMPercentage=75), plus
 * -XX:MaxRAM set to the Deployment's memory limit, which is what the JVM would see in the pod. Without it the JVM
 * sizes its heap from the whole machine.
 */
export function jvmFlags(repoDir: string): string[] {
  const flags: string[] = [];
  const entrypoint = readFileSync(join(repoDir, 'Dockerfile'), 'utf8').match(
    /^ENTRYPOINT\s+(\[.*\])\s*$/m,
  );
  if (entrypoint) {
    const argv: string[] = JSON.parse(entrypoint[1]);
    const jar = argv.indexOf('-jar');
    flags.push(...argv.slice(1, jar < 0 ? argv.length : jar));
  }
  const deployment = YAML.parseAllDocuments(
    readFileSync(join(repoDir, 'deploy/base/deployment.yaml'), 'utf8'),
  )
    .map(d => d.toJS())
    .find(d => d?.kind === 'Deployment');
  const limit: string | undefined =
    deployment?.spec?.template?.spec?.containers?.[0]?.resources?.limits
      ?.memory;
  const m = limit?.match(/^(\d+)(Mi|Gi)$/);
  if (m) flags.push(`-XX:MaxRAM=${m[1]}${m[2] === 'Gi' ? 'g' : 'm'}`);
  return flags;
}

/** The node arguments the generated image runs with: its Dockerfile's CMD (the entrypoint is node). */
export function nodeArgs(repoDir: string): string[] {
  const cmd = readFileSync(join(repoDir, 'Dockerfile'), 'utf8').match(
    /^CMD\s+(\[.*\])\s*$/m,
  );
  if (!cmd) throw new Error(`no CMD [...] in ${repoDir}/Dockerfile`);
  return JSON.parse(cmd[1]);
}

/** Builds a generated repository the way its CI does, minus the tests (the conformance run covers those). */
export function buildService(
  template: TemplateName,
  repoDir: string,
): BuiltService {
  const baseEnv = {
    ...readEnvFile(join(repoDir, 'deploy/base/otel.env')),
    SECRETS_DIR: secretsDir(),
  };
  switch (template) {
    case 'go-api': {
      const binary = join(tempDir('gp-bench-go-'), 'server');
      run('go', ['build', '-o', binary, './cmd/server'], { cwd: repoDir });
      return {
        template,
        repoDir,
        command: binary,
        args: [],
        readyPath: '/readyz',
        baseEnv,
      };
    }
    case 'java-api': {
      run('./mvnw', ['-B', '-q', '-DskipTests', 'package'], { cwd: repoDir });
      const jar = readdirSync(join(repoDir, 'target')).find(
        f => f.endsWith('.jar') && !f.endsWith('-plain.jar'),
      );
      if (!jar) throw new Error(`no jar in ${repoDir}/target`);
      return {
        template,
        repoDir,
        command: 'java',
        args: [...jvmFlags(repoDir), '-jar', join(repoDir, 'target', jar)],
        readyPath: '/actuator/health/readiness',
        baseEnv,
      };
    }
    case 'node-worker': {
      run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: repoDir });
      run('npm', ['run', 'build'], { cwd: repoDir });
      return {
        template,
        repoDir,
        command: process.execPath,
        args: nodeArgs(repoDir),
        readyPath: '/readyz',
        baseEnv,
      };
    }
  }
  throw new Error(`unknown template ${template}`);
}

/**
 * The environment of one run, pointed at `otlpEndpoint`: telemetry as generated (`default`: the policy sampler, metrics
 * on), the same with every trace sampled (`full`), or OTEL_SDK_DISABLED=true (`off`).
 */
export function serviceEnv(
  service: BuiltService,
  options: {
    telemetry: 'off' | 'default' | 'full';
    otlpEndpoint: string;
    port: number;
  },
): Record<string, string> {
  return {
    ...service.baseEnv,
    OTEL_EXPORTER_OTLP_ENDPOINT: options.otlpEndpoint,
    PORT: String(options.port),
    ...(options.telemetry === 'off' ? { OTEL_SDK_DISABLED: 'true' } : {}),
    ...(options.telemetry === 'full' ? { OTEL_TRACES_SAMPLER_ARG: '1.0' } : {}),
  };
}

let fullLogs: string | undefined;
const labelsUsed = new Map<string, number>();

/** How much of each service log is kept in artifacts/bench/logs: a service logging every request writes ~50 MB. */
const KEPT_LOG_BYTES = 64 * 1024;

/**
 * Starts a service with stdout and stderr in a log file, so a service logging every request is not slowed down
 * by (or slowing down) this process. Stop it with `terminate` from packages/test-utils/src/processes.ts.
 */
export function startLogged(
  service: BuiltService,
  env: Record<string, string>,
  logDir: string,
  label: string,
): RunningService & { logFile: string; keepTail: () => void } {
  fullLogs ??= tempDir('gp-bench-logs-');
  // Repeated runs of the same variant get -2, -3, ... so no log overwrites another.
  const seen = (labelsUsed.get(label) ?? 0) + 1;
  labelsUsed.set(label, seen);
  const name = seen === 1 ? label : `${label}-${seen}`;
  const logFile = join(fullLogs, `${name}.log`);
  const fd = openSync(logFile, 'w');
  const child = spawn(service.command, service.args, {
    cwd: service.repoDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const exited = new Promise<number | null>(done =>
    child.once('exit', code => done(code)),
  );
  return {
    child,
    exited,
    logFile,
    output: () => readFileSync(logFile, 'utf8'),
    /** Copies the start and the end of the log to logDir (the full log goes with the temp dir). */
    keepTail: () => {
      mkdirSync(logDir, { recursive: true });
      const size = statSync(logFile).size;
      const text =
        size <= KEPT_LOG_BYTES
          ? readFileSync(logFile)
          : Buffer.concat([
              readSlice(logFile, 0, KEPT_LOG_BYTES / 2),
              Buffer.from(`\n… ${size - KEPT_LOG_BYTES} bytes left out …\n`),
              readSlice(logFile, size - KEPT_LOG_BYTES / 2, KEPT_LOG_BYTES / 2),
            ]);
      writeFileSync(join(logDir, `${name}.log`), text);
    },
  };
}

function readSlice(file: string, position: number, length: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const n = readSync(fd, buffer, 0, length, position);
    return buffer.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** Resident set size of a process in KiB, from /proc/<pid>/status (VmRSS). */
export function rssKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = status.match(/^VmRSS:\s+(\d+)\s+kB/m);
  return m ? Number(m[1]) : NaN;
}

const CLOCK_TICKS = Number(
  spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim() || 100,
);

/** CPU time (user + system, all threads) a process has used so far, in ms, from /proc/<pid>/stat. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start at field 3; utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/**
 * CPU time (user + system, in ms) of the threads of `pid` whose name matches `name`, from /proc/<pid>/task/<tid>/stat.
 * A JVM names its JIT compiler threads "C1 CompilerThre…" and "C2 CompilerThre…" (the kernel keeps 15 characters).
 */
export function threadCpuMs(pid: number, name: RegExp): number {
  let total = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended between the listing and the read
    }
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    if (!name.test(comm)) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    total += ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  }
  return total;
}

/** The JIT compiler threads of a HotSpot JVM (none in a Go or Node process, whose compilers run on other threads). */
export const JIT_THREADS = /^C[12] CompilerThre/;

/** Polls `url` every `pollMs` until it answers 200; returns when, in ms since `since` (performance.now()). */
export async function readyAfter(
  url: string,
  since: number,
  options: { timeoutMs: number; pollMs: number; exited?: Promise<unknown> },
): Promise<number> {
  let gone = false;
  void options.exited?.then(() => (gone = true));
  const deadline = since + options.timeoutMs;
  while (performance.now() < deadline) {
    if (gone) throw new Error(`the process exited before ${url} was ready`);
    const res = await fetch(url).catch(() => undefined);
    if (res) {
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return performance.now() - since;
    }
    await new Promise(r => setTimeout(r, options.pollMs));
  }
  throw new Error(`${url} was not ready within ${options.timeoutMs} ms`);
}
