// vegeta (github.com/tsenart/vegeta, built into .tools/go/bin by scripts/lib/toolchain.sh) as an open-model load
// generator: it sends requests at a fixed rate whatever the service's latency, so every variant of a comparison gets
// the same requests at the same pace. wrk is closed-model (a new request as soon as one returns), so the work per
// second, and with it the CPU cost per request of a JVM, changes with the service's own speed.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../test-utils/src/backendProcess.ts';

/** The binary ensure_go_tools installs (pinned there), else one on PATH. */
export const VEGETA = existsSync(join(repoRoot, '.tools/go/bin/vegeta'))
  ? join(repoRoot, '.tools/go/bin/vegeta')
  : 'vegeta';

export type VegetaResult = {
  /** Requests sent (all of them answered or failed by the time the attack returns). */
  requests: number;
  /** The rate vegeta achieved sending them, per second. */
  rate: number;
  /** Successful responses per second over the attack and its wait for the last responses. */
  throughput: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Requests that got no 2xx/3xx answer, or none at all. */
  errors: number;
};

type Report = {
  latencies: Record<'50th' | '90th' | '99th' | 'max', number>;
  requests: number;
  rate: number;
  throughput: number;
  success: number;
};

const nsToMs = (ns: number) => ns / 1e6;

export function parseVegetaReport(json: string): VegetaResult {
  const r: Report = JSON.parse(json);
  return {
    requests: r.requests,
    rate: r.rate,
    throughput: r.throughput,
    p50Ms: nsToMs(r.latencies['50th']),
    p90Ms: nsToMs(r.latencies['90th']),
    p99Ms: nsToMs(r.latencies['99th']),
    maxMs: nsToMs(r.latencies.max),
    errors: Math.round(r.requests * (1 - r.success)),
  };
}

function collect(child: ReturnType<typeof spawn>, what: string) {
  let stderr = '';
  child.stderr!.on('data', d => (stderr += d));
  return new Promise<void>((done, fail) =>
    // 'close', not 'exit': the report's stdout may still hold data when the process exits.
    child.once('close', code =>
      code === 0
        ? done()
        : fail(new Error(`${what} exited with ${code}:\n${stderr}`)),
    ),
  );
}

/**
 * `vegeta attack -rate=<rate>/1s -duration=<seconds>s | vegeta report -type=json` for GET `url`; the attack is killed
 * if it overruns by 20 s. Keep-alive connections, opened as the rate needs them (a handful at rates well below
 * saturation), reused for the whole run.
 */
export async function runVegeta(
  url: string,
  options: { rate: number; seconds: number },
): Promise<VegetaResult> {
  const args = [
    'attack',
    `-rate=${options.rate}/1s`,
    `-duration=${options.seconds}s`,
    // A response not back in 10 s counts as an error, so an overloaded service cannot stall the run.
    '-timeout=10s',
  ];
  const attack = spawn(VEGETA, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const report = spawn(VEGETA, ['report', '-type=json'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  attack.stdout.pipe(report.stdin);
  attack.stdin.end(`GET ${url}\n`);
  let output = '';
  report.stdout.on('data', d => (output += d));
  const timer = setTimeout(
    () => attack.kill('SIGKILL'),
    (options.seconds + 20) * 1000,
  );
  try {
    await Promise.all([
      collect(attack, `vegeta ${args.join(' ')}`),
      collect(report, 'vegeta report'),
    ]);
  } finally {
    clearTimeout(timer);
  }
  return parseVegetaReport(output);
}
