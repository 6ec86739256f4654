// Section "tracing": what the generated telemetry (traces and metrics) costs at runtime. The same build runs three
// ways on loopback: with its generated OTEL_* settings (policy sampler, 10 %; batch span export and metrics to a local
// OTLP receiver), the same with every trace sampled (100 %), and with OTEL_SDK_DISABLED=true.
//
// HTTP services: the overhead is the service's CPU per request under the same fixed request rate (vegeta, open model)
// in every variant. Under a saturating closed-model load (wrk) a JVM's CPU per request depends on how many requests it
// serves per second, which the telemetry itself and the other work on a shared machine change; at a fixed rate well
// below saturation every variant does the same work at the same pace. A short wrk run per process still reports the
// saturated throughput and latency, as a secondary table. The three variants' processes run side by side and are
// measured in interleaved windows, so that the machine's drifting load falls on all of them alike (httpRound).
//
// The worker is measured the same way: its overhead figure is its CPU per job while a publisher sends jobs at a fixed
// rate, and a burst of jobs published as fast as possible gives the saturated throughput (and CPU per job) beside it.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../test-utils/src/backendProcess.ts';
import { startNatsServer } from '../../test-utils/src/natsServer.ts';
import {
  startOtlpReceiver,
  type OtlpReceiver,
} from '../../test-utils/src/otlpReceiver.ts';
import { terminate } from '../../test-utils/src/processes.ts';
import {
  median,
  ms,
  num,
  ratio,
  type SectionResult,
  type Table,
} from './report.ts';
import {
  cpuMs,
  JIT_THREADS,
  readyAfter,
  rssKiB,
  serviceEnv,
  startLogged,
  threadCpuMs,
  type BuiltService,
} from './services.ts';
import { onCleanup, sleep, type Timings } from './system.ts';
import { runVegeta, type VegetaResult } from './vegeta.ts';
import { runWrk, type WrkResult } from './wrk.ts';

type HttpTemplate = 'go-api' | 'java-api';

export type TracingOptions = {
  services: Partial<Record<BuiltService['template'], BuiltService>>;
  logDir: string;
  timings: Timings;
  /** The fixed request rate (requests/s) every variant of an HTTP service receives in the measured run. */
  httpRate: number;
  /** Length of one measured fixed-rate window … */
  rateSeconds: number;
  /** … and how many each process of a round gets, interleaved with the other variants' (see httpRound). */
  windows: number;
  /** Length of the secondary saturating wrk run (throughput and latency only); 0 leaves it out. */
  wrkSeconds: number;
  /**
   * Unmeasured wrk load before the measured runs, until the service has answered this many requests (the JVM needs
   * them to compile the hot path; counting requests rather than seconds keeps that equal on a busy machine) …
   */
  warmupRequests: Record<HttpTemplate, number>;
  /** … or until this many seconds have passed. */
  warmupMaxSeconds: number;
  /**
   * Then unmeasured load at the measured rate, in pieces of this many seconds, until the JIT compiler threads used
   * less than `settleJitShare` of the service's CPU in a piece (at least one piece) …
   */
  settlePieceSeconds: number;
  settleJitShare: number;
  /** … or until this many seconds have passed. */
  settleMaxSeconds: number;
  /** The fixed job rate (jobs/s) of the worker's measured windows, which last rateSeconds. */
  jobRate: number;
  /** Jobs of the worker's secondary saturating burst (published as fast as the publisher can). */
  jobs: number;
  /** Unmeasured jobs before the measured ones, so V8 has compiled the job path (as warmupSeconds does for the JVM). */
  jobWarmup: number;
  jobRounds: number;
  httpRounds: number;
};

type Variant = 'off' | 'default' | 'full';
const VARIANTS: Variant[] = ['off', 'default', 'full'];
const ON_VARIANTS = ['default', 'full'] as const;
/** Run order per round, rotated so a drift in the machine's load hits every variant alike. */
const roundOrder = (round: number): Variant[] =>
  VARIANTS.map((_, k) => VARIANTS[(k + round) % VARIANTS.length]);
const HELLO = '/api/v1/hello?name=bench';

type HttpRun = {
  /** The measured fixed-rate windows together: requests and errors summed, rates and latencies their medians. */
  fixed: VegetaResult;
  /** Measured windows (each rateSeconds long). */
  windows: number;
  /** CPU time of the service in its measured windows, per request, in microseconds. */
  cpuUsPerRequest: number;
  /** CPU time of the service in its measured windows, in cores (CPU seconds per second). */
  cpuCores: number;
  /** The part of cpuUsPerRequest spent by JIT compiler threads (JVM only). */
  jitUsPerRequest: number;
  /** CPU time of this process (mostly the OTLP receivers) during the measured windows, in ms. */
  receiverCpuMs: number;
  rssKiB: number;
  spans: number;
  /** Metric data points the receiver decoded (the final export on SIGTERM, and any periodic one). */
  metricPoints: number;
  warmup: { requests: number; seconds: number };
  /** The fixed-rate load before the measured windows, and the JIT compiler's share of the CPU in its last piece. */
  settle: { seconds: number; jitShare: number };
  /** Measured windows repeated because the process's first metric export arrived during them (withoutFirstExport). */
  discardedForExport: number;
  /** The secondary saturating run, before the fixed-rate ones. */
  wrk?: WrkResult;
  exitCode: number | null;
};

/**
 * The overhead of `variant` as the median of its per-round ratios to `off`, with their range. The variants of a round
 * are measured in interleaved windows (see httpRound), so each ratio compares the same stretch of time; a drift in the
 * machine's load moves both sides of a ratio instead of one.
 */
function pairedRatio<T>(
  runs: Record<Variant, T[]>,
  variant: Variant,
  pick: (r: T) => number,
): string {
  const ratios = runs[variant]
    .map((r, round) => pick(r) / pick(runs.off[round]))
    .filter(Number.isFinite);
  if (ratios.length === 0) return 'n/a';
  const x = (v: number) => `${v.toFixed(2)}×`;
  return `${x(median(ratios))} (rounds ${x(Math.min(...ratios))} – ${x(
    Math.max(...ratios),
  )})`;
}

/** The median, and "min – max", of a value over the runs of a variant. */
function statsOf<T>(runs: Record<Variant, T[]>) {
  return {
    med: (variant: Variant, pick: (r: T) => number) =>
      median(runs[variant].map(pick)),
    range: (variant: Variant, pick: (r: T) => number, digits = 0) => {
      const values = runs[variant].map(pick);
      return `${num(Math.min(...values), digits)} – ${num(
        Math.max(...values),
        digits,
      )}`;
    },
  };
}

const metricPoints = (receiver: OtlpReceiver) =>
  receiver.metrics.reduce((sum, m) => sum + m.points.length, 0);

const ownCpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

/** Saturating wrk load in 5 s pieces until the service answered `requests` requests or `maxSeconds` passed. */
async function warmUp(url: string, requests: number, maxSeconds: number) {
  const started = performance.now();
  let served = 0;
  while (served < requests) {
    const left = maxSeconds - (performance.now() - started) / 1000;
    if (left < 1) break;
    served += (await runWrk(url, { seconds: Math.min(5, Math.floor(left)) }))
      .requests;
  }
  return { requests: served, seconds: (performance.now() - started) / 1000 };
}

/**
 * Unmeasured load at the measured rate until the JIT compiler is done with what this load runs. After the saturating
 * warm-up a JVM's C2 compiler may still work through a backlog of hot methods (the busier the machine, the longer:
 * it competed with the load for the CPUs), and at the fixed rate it also compiles what runs between requests. That
 * one-off work cost 1–3 times the requests' own CPU in the first measured 10 s, in every variant alike, and it is no
 * part of the per-request cost of a service that runs for days.
 */
async function settle(url: string, pid: number, options: TracingOptions) {
  const started = performance.now();
  let jitShare = NaN;
  do {
    const cpu = cpuMs(pid);
    const jit = threadCpuMs(pid, JIT_THREADS);
    await runVegeta(url, {
      rate: options.httpRate,
      seconds: options.settlePieceSeconds,
    });
    jitShare = (threadCpuMs(pid, JIT_THREADS) - jit) / (cpuMs(pid) - cpu || 1);
  } while (
    jitShare >= options.settleJitShare &&
    (performance.now() - started) / 1000 + options.settlePieceSeconds <=
      options.settleMaxSeconds
  );
  return { seconds: (performance.now() - started) / 1000, jitShare };
}

/**
 * Runs `measure` once more when the process's first periodic metric export arrived during it. That export runs cold:
 * java-api's took about 120 ms of CPU (class loading, interpreted code), the later ones about 10 ms a minute. In a
 * measured window of 5 s at 500 requests/s the first one adds about 50 µs to every request, a fifth of the off
 * variant's CPU, in whichever window it happens to fall: Micrometer first exports at the next full minute plus a
 * random 0–48 s, so 0–108 s after start, and the Go and Node SDKs 60 s after start. Like the JIT's start-up work it is no part of the
 * per-request cost of a service that runs for days, so only the first export is left out: a later one is measured
 * wherever it falls (about 0.3 µs per request at this rate). Off exports nothing and is never repeated.
 */
async function withoutFirstExport<T>(
  receiver: OtlpReceiver,
  measure: () => Promise<T>,
): Promise<T & { discarded: number }> {
  const before = receiver.received.metrics;
  const result = await measure();
  if (before > 0 || receiver.received.metrics === 0)
    return { ...result, discarded: 0 };
  return { ...(await measure()), discarded: 1 };
}

/** One measured fixed-rate window of one process. */
async function measureAtRate(
  url: string,
  pid: number,
  receiver: OtlpReceiver,
  options: TracingOptions,
) {
  return withoutFirstExport(receiver, async () => {
    const cpuBefore = cpuMs(pid);
    const jitBefore = threadCpuMs(pid, JIT_THREADS);
    const ownBefore = ownCpuMs();
    const startedAt = performance.now();
    const fixed = await runVegeta(url, {
      rate: options.httpRate,
      seconds: options.rateSeconds,
    });
    return {
      fixed,
      cpuMs: cpuMs(pid) - cpuBefore,
      jitMs: threadCpuMs(pid, JIT_THREADS) - jitBefore,
      ownMs: ownCpuMs() - ownBefore,
      seconds: (performance.now() - startedAt) / 1000,
    };
  });
}
type RateWindow = Awaited<ReturnType<typeof measureAtRate>>;

/** The windows of one process as one fixed-rate result: counts summed, rates and latencies their medians. */
function combineWindows(windows: VegetaResult[]): VegetaResult {
  const sum = (pick: (w: VegetaResult) => number) =>
    windows.reduce((total, w) => total + pick(w), 0);
  const med = (pick: (w: VegetaResult) => number) => median(windows.map(pick));
  return {
    requests: sum(w => w.requests),
    rate: med(w => w.rate),
    throughput: med(w => w.throughput),
    p50Ms: med(w => w.p50Ms),
    p90Ms: med(w => w.p90Ms),
    p99Ms: med(w => w.p99Ms),
    maxMs: Math.max(...windows.map(w => w.maxMs)),
    errors: sum(w => w.errors),
  };
}

/**
 * Runs `start` for every variant (in `order`), `rewarm` for each, then `measure` for each in `windows` interleaved
 * passes, the order rotating every pass, then `finish` for each with its windows. Whatever was started is stopped on
 * failure too.
 */
async function interleaved<P extends { stop: () => Promise<void> }, W, R>(
  order: Variant[],
  windows: number,
  steps: {
    start: (variant: Variant) => Promise<P>;
    rewarm: (process: P) => Promise<void>;
    measure: (process: P) => Promise<W>;
    finish: (process: P, windows: W[]) => Promise<R>;
  },
): Promise<Record<Variant, R>> {
  const { start, rewarm, measure, finish } = steps;
  const started = new Map<Variant, P>();
  try {
    for (const variant of order) started.set(variant, await start(variant));
    for (const variant of order) await rewarm(started.get(variant)!);
    const measured = new Map<Variant, W[]>(order.map(v => [v, []]));
    for (let pass = 0; pass < windows; pass++) {
      for (const variant of roundOrder(pass)) {
        measured.get(variant)!.push(await measure(started.get(variant)!));
      }
    }
    const results = {} as Record<Variant, R>;
    for (const variant of order) {
      results[variant] = await finish(
        started.get(variant)!,
        measured.get(variant)!,
      );
      started.delete(variant);
    }
    return results;
  } finally {
    for (const process of started.values()) await process.stop();
  }
}

/**
 * The OTLP receiver of one service process. It decodes what it received only when asked, after the process has
 * stopped: on 2 cores decoding while the service is measured competed with the telemetry-on variants for the CPUs (and
 * the off variant exports nothing to decode).
 */
const startProcessReceiver = () => startOtlpReceiver({ decodeLater: true });

/** A service process of one variant, warmed up and settled at the rate, exporting to its own OTLP receiver. */
type WarmService = {
  pid: number;
  url: string;
  receiver: OtlpReceiver;
  proc: ReturnType<typeof startLogged>;
  warmup: HttpRun['warmup'];
  wrk?: WrkResult;
  settle: HttpRun['settle'];
  /** Kills the process and closes its receiver (for a failed round; a finished one is stopped by finishHttp). */
  stop: () => Promise<void>;
};

/**
 * Starts one service with its own OTLP receiver (so each process's exports are told apart), warms it up, measures it
 * saturated with wrk (secondary) and lets it settle at the fixed rate.
 */
async function startWarm(
  service: BuiltService,
  variant: Variant,
  options: TracingOptions,
): Promise<WarmService> {
  const receiver = await startProcessReceiver();
  const port = await freePort();
  const proc = startLogged(
    service,
    serviceEnv(service, {
      telemetry: variant,
      otlpEndpoint: receiver.endpoint,
      port,
    }),
    options.logDir,
    `tracing-${service.template}-${variant}`,
  );
  const stop = onCleanup(`${service.template} (${variant})`, async () => {
    if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
    proc.keepTail();
    await receiver.close();
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    await readyAfter(`${base}${service.readyPath}`, performance.now(), {
      timeoutMs: 120_000,
      pollMs: 100,
      exited: proc.exited,
    });
    const url = `${base}${HELLO}`;
    const warmup = await warmUp(
      url,
      options.warmupRequests[service.template as HttpTemplate],
      options.warmupMaxSeconds,
    );
    // Secondary: throughput and latency at saturation, on the warm process (its last piece of warm-up).
    const wrk =
      options.wrkSeconds > 0
        ? await runWrk(url, { seconds: options.wrkSeconds })
        : undefined;
    // Let the exports and garbage of the saturating load settle before the rate.
    await sleep(2000);
    const pid = proc.child.pid!;
    const settled = await settle(url, pid, options);
    return { pid, url, receiver, proc, warmup, wrk, settle: settled, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Stops a measured service with SIGTERM (which flushes its spans and metrics) and sums up its windows. */
async function finishHttp(
  warm: WarmService,
  windows: RateWindow[],
): Promise<HttpRun> {
  try {
    const rss = rssKiB(warm.pid);
    const { code } = await terminate(warm.proc);
    const decodeBefore = ownCpuMs();
    warm.receiver.decodePending();
    const decodeMs = ownCpuMs() - decodeBefore;
    const fixed = combineWindows(windows.map(w => w.fixed));
    const sum = (pick: (w: RateWindow) => number) =>
      windows.reduce((total, w) => total + pick(w), 0);
    return {
      fixed,
      windows: windows.length,
      cpuUsPerRequest: (sum(w => w.cpuMs) * 1000) / fixed.requests,
      cpuCores: sum(w => w.cpuMs) / 1000 / sum(w => w.seconds),
      jitUsPerRequest: (sum(w => w.jitMs) * 1000) / fixed.requests,
      receiverCpuMs: sum(w => w.ownMs) + decodeMs,
      rssKiB: rss,
      spans: warm.receiver.spans.length,
      metricPoints: metricPoints(warm.receiver),
      warmup: warm.warmup,
      settle: warm.settle,
      discardedForExport: sum(w => w.discarded),
      wrk: warm.wrk,
      exitCode: code,
    };
  } finally {
    await warm.stop();
  }
}

/**
 * One round of an HTTP service: a fresh process per variant, started, warmed up and settled one after the other (the
 * order rotates every round), then measured in `windows` fixed-rate windows each, interleaved: off, 10 %, 100 %, then
 * 10 %, 100 %, off, and so on. Four processes of the same variant measured this way tracked each other from window to
 * window, and the level of all of them drifted by ±20 % within a minute (the machine's load, not the process): windows
 * of the three variants side by side see the same drift, runs one after the other did not.
 */
function httpRound(
  service: BuiltService,
  round: number,
  options: TracingOptions,
): Promise<Record<Variant, HttpRun>> {
  return interleaved(roundOrder(round), options.windows, {
    start: variant => startWarm(service, variant, options),
    // The processes started first idled while the others warmed up: one unmeasured piece at the rate each, then the
    // receivers count only what the measured windows (and the shutdown flush) export.
    rewarm: async warm => {
      await runVegeta(warm.url, {
        rate: options.httpRate,
        seconds: options.settlePieceSeconds,
      });
      warm.receiver.clear();
    },
    measure: warm => measureAtRate(warm.url, warm.pid, warm.receiver, options),
    finish: finishHttp,
  });
}

// Publishes JOBS jobs with the worker's own NATS client: with RATE (jobs/s), on a fixed schedule in 10 ms ticks whatever
// the acks' latency (open model, like vegeta); without it, 100 at a time, each batch as soon as the last was acked.
const PUBLISHER = `
import { connect } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
const nc = await connect({ servers: process.env.NATS_URL });
const js = jetstream(nc);
const jobs = Number(process.env.JOBS);
const rate = Number(process.env.RATE ?? 0);
const job = i => js.publish(process.env.SUBJECT, JSON.stringify({
  orderId: 'ORD-' + i, customerId: 'C-1', currency: 'EUR',
  lines: [{ sku: 'book', quantity: 2, unitPriceCents: 1250 }],
}));
const startedAt = Date.now();
const started = performance.now();
if (rate > 0) {
  const acks = [];
  for (let i = 0, tick = 0; i < jobs; tick++) {
    const wait = started + tick * 10 - performance.now();
    if (wait > 0) await new Promise(resolve => setTimeout(resolve, wait));
    for (const due = Math.min(jobs, Math.round(((tick + 1) * 10 * rate) / 1000)); i < due; i++) acks.push(job(i));
  }
  await Promise.all(acks);
} else {
  for (let i = 0; i < jobs; i += 100) {
    await Promise.all(Array.from({ length: Math.min(100, jobs - i) }, (_, k) => job(i + k)));
  }
}
const publishMs = performance.now() - started;
await nc.drain();
console.log(JSON.stringify({ startedAt, publishMs }));
`;

/** One measured load on the worker. */
type JobsLoad = {
  jobs: number;
  /** First publish → the time the worker logged the last job. */
  seconds: number;
  jobsPerSecond: number;
  publishMs: number;
  /** CPU time of the worker from the first publish until it logged the last job, in ms … */
  cpuMs: number;
  /** … and per job, in microseconds. */
  cpuUsPerJob: number;
};

type JobsRun = {
  /** The measured windows together: jobRate jobs/s for rateSeconds each. */
  fixed: JobsLoad;
  windows: number;
  /** Measured windows discarded because the worker's first metric export arrived during them. */
  discardedForExport: number;
  /** The secondary saturating burst, before the fixed-rate windows. */
  saturated: JobsLoad;
  rssKiB: number;
  spans: number;
  metricPoints: number;
  exitCode: number | null;
};

const PROCESSED = '"msg":"invoice created"';

/** Counts PROCESSED lines in a growing log file, reading only what was appended, and keeps the last one's time. */
function logFollower(file: string) {
  const fd = openSync(file, 'r');
  const buffer = Buffer.alloc(1 << 20);
  let position = 0;
  let rest = '';
  let count = 0;
  let lastTime = NaN;
  return {
    poll(): { count: number; lastTime: number } {
      for (;;) {
        const n = readSync(fd, buffer, 0, buffer.length, position);
        if (n === 0) break;
        position += n;
        const lines = (rest + buffer.toString('utf8', 0, n)).split('\n');
        rest = lines.pop()!;
        for (const line of lines) {
          if (!line.includes(PROCESSED)) continue;
          count++;
          lastTime = Date.parse(JSON.parse(line).time);
        }
      }
      return { count, lastTime };
    },
    close: () => closeSync(fd),
  };
}

/** A worker of one variant against its own nats-server, warmed up, exporting to its own OTLP receiver. */
type WarmWorker = {
  pid: number;
  receiver: OtlpReceiver;
  proc: ReturnType<typeof startLogged>;
  /** Publishes `jobs` (at `rate` jobs/s, or as fast as possible) and waits until the worker logged them all. */
  load: (jobs: number, rate?: number) => Promise<JobsLoad>;
  saturated: JobsLoad;
  /** Kills the worker and stops its nats-server and receiver (for a failed round; see finishWorker). */
  stop: () => Promise<void>;
};

/**
 * Starts the worker against a fresh nats-server and its own OTLP receiver, publishes `jobWarmup` unmeasured jobs and a
 * burst of `jobs` as fast as possible (saturated, secondary), waiting each time until the worker logged every job.
 */
async function startWorker(
  service: BuiltService,
  variant: Variant,
  options: TracingOptions,
): Promise<WarmWorker> {
  const nats = await startNatsServer();
  const receiver = await startProcessReceiver();
  const port = await freePort();
  const proc = startLogged(
    service,
    {
      ...serviceEnv(service, {
        telemetry: variant,
        otlpEndpoint: receiver.endpoint,
        port,
      }),
      NATS_URL: nats.url,
    },
    options.logDir,
    `tracing-node-worker-${variant}`,
  );
  // The worker logs every processed job with its time (ms): the last one's time ends a measurement.
  let follower: ReturnType<typeof logFollower> | undefined;
  const stop = onCleanup(`node-worker (${variant})`, async () => {
    follower?.close();
    if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
    proc.keepTail();
    await receiver.close();
    await nats.stop();
  });
  try {
    await readyAfter(
      `http://127.0.0.1:${port}${service.readyPath}`,
      performance.now(),
      { timeoutMs: 60_000, pollMs: 100, exited: proc.exited },
    );
    const name = service.repoDir.split('/').pop()!;
    const publish = (jobs: number, rate?: number) => {
      const publisher = spawn(process.execPath, ['bench-publish.mjs'], {
        cwd: service.repoDir,
        env: {
          ...process.env,
          NATS_URL: nats.url,
          SUBJECT: `${name}.jobs`,
          JOBS: String(jobs),
          ...(rate ? { RATE: String(rate) } : {}),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      publisher.stdout.on('data', d => (output += d));
      publisher.stderr.on('data', d => (output += d));
      // 'close', not 'exit': its output may still be in the pipes when it exits.
      const exited = new Promise<number | null>(done =>
        publisher.once('close', c => done(c)),
      );
      return { publisher, exited, output: () => output };
    };
    follower = logFollower(proc.logFile);
    const pid = proc.child.pid!;
    let processed = 0;
    const load = async (jobs: number, rate?: number): Promise<JobsLoad> => {
      const cpuBefore = cpuMs(pid);
      const publisher = publish(jobs, rate);
      const deadline = Date.now() + 180_000;
      let doneAt: number;
      for (;;) {
        const { count, lastTime } = follower!.poll();
        if (count >= processed + jobs) {
          doneAt = lastTime;
          break;
        }
        if (Date.now() > deadline) {
          publisher.publisher.kill('SIGKILL');
          throw new Error(
            `only ${count - processed} of ${jobs} jobs processed in 180 s`,
          );
        }
        await sleep(20);
      }
      const cpu = cpuMs(pid) - cpuBefore;
      processed += jobs;
      if ((await publisher.exited) !== 0)
        throw new Error(`publisher failed:\n${publisher.output()}`);
      const { startedAt, publishMs } = JSON.parse(
        publisher.output().trim().split('\n').pop()!,
      );
      const seconds = (doneAt - startedAt) / 1000;
      return {
        jobs,
        seconds,
        jobsPerSecond: jobs / seconds,
        publishMs,
        cpuMs: cpu,
        cpuUsPerJob: (cpu * 1000) / jobs,
      };
    };
    if (options.jobWarmup > 0) await load(options.jobWarmup);
    // Secondary: throughput when the worker gets all the jobs it can take (as wrk is for the HTTP services).
    const saturated = await load(options.jobs);
    // Let the exports and garbage of the burst settle before the rate, as for the HTTP services.
    await sleep(2000);
    return { pid, receiver, proc, load, saturated, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Stops a measured worker with SIGTERM (which flushes its spans and metrics) and sums up its windows. */
async function finishWorker(
  warm: WarmWorker,
  windows: (JobsLoad & { discarded: number })[],
): Promise<JobsRun> {
  try {
    const rss = rssKiB(warm.pid);
    const { code } = await terminate(warm.proc);
    warm.receiver.decodePending();
    const sum = (pick: (w: (typeof windows)[number]) => number) =>
      windows.reduce((total, w) => total + pick(w), 0);
    const jobs = sum(w => w.jobs);
    return {
      fixed: {
        jobs,
        seconds: sum(w => w.seconds),
        jobsPerSecond: jobs / sum(w => w.seconds),
        publishMs: sum(w => w.publishMs),
        cpuMs: sum(w => w.cpuMs),
        cpuUsPerJob: (sum(w => w.cpuMs) * 1000) / jobs,
      },
      windows: windows.length,
      discardedForExport: sum(w => w.discarded),
      saturated: warm.saturated,
      rssKiB: rss,
      spans: warm.receiver.spans.length,
      metricPoints: metricPoints(warm.receiver),
      exitCode: code,
    };
  } finally {
    await warm.stop();
  }
}

/** One round of the worker, measured in interleaved fixed-rate windows as an HTTP service's round is (httpRound). */
function workerRound(
  service: BuiltService,
  round: number,
  options: TracingOptions,
): Promise<Record<Variant, JobsRun>> {
  const windowJobs = options.jobRate * options.rateSeconds;
  return interleaved(roundOrder(round), options.windows, {
    start: variant => startWorker(service, variant, options),
    rewarm: async warm => {
      await warm.load(windowJobs / 2, options.jobRate);
      warm.receiver.clear();
    },
    measure: warm =>
      withoutFirstExport(warm.receiver, () =>
        warm.load(windowJobs, options.jobRate),
      ),
    finish: finishWorker,
  });
}

/** A note on the measured windows that were repeated because a process's first metric export fell into them. */
function repeatedWindows(
  template: string,
  runs: Record<Variant, { discardedForExport: number }[]>,
): string[] {
  const repeated = ON_VARIANTS.flatMap(variant =>
    runs[variant]
      .map(r => r.discardedForExport)
      .filter(n => n > 0)
      .map(n => `${variant} ${n}`),
  );
  return repeated.length
    ? [
        `${template}: windows repeated because the process's first metric export fell into them, per process: ${repeated.join(
          ', ',
        )}.`,
      ]
    : [];
}

const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;
const LABELS: Record<Variant, string> = {
  off: 'off (OTEL_SDK_DISABLED=true)',
  default: 'on, policy sampling 10 % (generated otel.env)',
  full: 'on, 100 % sampled (OTEL_TRACES_SAMPLER_ARG=1.0)',
};
const label = (variant: Variant) => LABELS[variant];
const RATIO_LABELS = {
  default: '**10 % / off**',
  full: '**100 % / off**',
} as const;

export async function tracingSection(
  options: TracingOptions,
): Promise<Omit<SectionResult, 'seconds'>> {
  const data: Record<string, unknown> = {};
  const notes: string[] = [];
  const httpRows: Table['rows'] = [];
  const saturatedRows: Table['rows'] = [];
  const emptyRuns = <T>(): Record<Variant, T[]> => ({
    off: [],
    default: [],
    full: [],
  });
  for (const template of ['go-api', 'java-api'] as const) {
    const service = options.services[template];
    if (!service) continue;
    const runs = emptyRuns<HttpRun>();
    await options.timings.time(
      `tracing: ${template}, ${options.httpRounds} rounds of telemetry off, 10 % and 100 % sampled`,
      async () => {
        for (let i = 0; i < options.httpRounds; i++) {
          const round = await httpRound(service, i, options);
          for (const variant of VARIANTS) runs[variant].push(round[variant]);
        }
      },
    );
    data[template] = Object.fromEntries(
      VARIANTS.map(v => [
        v,
        runs[v].map(r => ({
          ...r,
          wrk: r.wrk && { ...r.wrk, raw: undefined },
        })),
      ]),
    );
    const { med, range } = statsOf(runs);
    // The overhead figure leaves out the JIT compiler threads (see settle); their CPU is shown beside it.
    const cpu = (r: HttpRun) => r.cpuUsPerRequest - r.jitUsPerRequest;
    const allThreads = (r: HttpRun) => r.cpuUsPerRequest;
    const rss = (r: HttpRun) => r.rssKiB;
    const fixedP50 = (r: HttpRun) => r.fixed.p50Ms;
    const fixedP99 = (r: HttpRun) => r.fixed.p99Ms;
    for (const variant of VARIANTS) {
      httpRows.push([
        template,
        label(variant),
        `${num(med(variant, cpu), 1)} µs (${range(variant, cpu, 1)})`,
        `${num(
          med(variant, r => r.jitUsPerRequest),
          1,
        )} µs (all threads ${num(med(variant, allThreads), 1)} µs)`,
        `${num(med(variant, r => r.settle.seconds))} s`,
        `${med(variant, r => r.cpuCores).toFixed(2)} (${range(
          variant,
          r => r.cpuCores,
          2,
        )})`,
        num(med(variant, r => r.fixed.throughput)),
        ms(med(variant, fixedP50)),
        ms(med(variant, fixedP99)),
        num(med(variant, r => r.spans)),
        num(med(variant, r => r.metricPoints)),
        `${(med(variant, r => r.receiverCpuMs) / 1000).toFixed(1)} s`,
        mib(med(variant, rss)),
        String(runs[variant].reduce((sum, r) => sum + r.fixed.errors, 0)),
      ]);
    }
    for (const variant of ON_VARIANTS) {
      httpRows.push([
        template,
        RATIO_LABELS[variant],
        pairedRatio(runs, variant, cpu),
        `all threads ${pairedRatio(runs, variant, allThreads)}`,
        '',
        '',
        '',
        ratio(med(variant, fixedP50), med('off', fixedP50)),
        ratio(med(variant, fixedP99), med('off', fixedP99)),
        '',
        '',
        '',
        ratio(med(variant, rss), med('off', rss)),
        '',
      ]);
    }
    if (options.wrkSeconds > 0) {
      const rps = (r: HttpRun) => r.wrk!.requestsPerSecond;
      const p50 = (r: HttpRun) => r.wrk!.p50Ms;
      const p99 = (r: HttpRun) => r.wrk!.p99Ms;
      for (const variant of VARIANTS) {
        saturatedRows.push([
          template,
          label(variant),
          `${num(med(variant, rps))} (${range(variant, rps)})`,
          ms(med(variant, p50)),
          ms(med(variant, p99)),
          String(
            runs[variant].reduce(
              (sum, r) => sum + r.wrk!.non2xx + r.wrk!.socketErrors,
              0,
            ),
          ),
        ]);
      }
      for (const variant of ON_VARIANTS) {
        saturatedRows.push([
          template,
          RATIO_LABELS[variant],
          ratio(med(variant, rps), med('off', rps)),
          ratio(med(variant, p50), med('off', p50)),
          ratio(med(variant, p99), med('off', p99)),
          '',
        ]);
      }
    }
    // Below the rate, the service fell behind: its CPU per request is not comparable work any more.
    const behind = VARIANTS.flatMap(variant =>
      runs[variant]
        .filter(r => r.fixed.throughput < options.httpRate * 0.95)
        .map(r => `${variant} ${num(r.fixed.throughput)}/s`),
    );
    if (behind.length) {
      notes.push(
        `${template}: did not keep up with ${
          options.httpRate
        } requests/s in some runs (${behind.join(
          ', ',
        )}); the machine was too busy for this measurement, rerun it.`,
      );
    }
    const unsettled = VARIANTS.flatMap(variant =>
      runs[variant]
        .filter(r => r.settle.jitShare >= options.settleJitShare)
        .map(r => `${variant} ${(r.settle.jitShare * 100).toFixed(0)} %`),
    );
    if (unsettled.length) {
      notes.push(
        `${template}: the JIT compiler was still busy after ${
          options.settleMaxSeconds
        } s at the rate in some runs (its share of the CPU in the last piece: ${unsettled.join(
          ', ',
        )}); their CPU per request includes compilation.`,
      );
    }
    notes.push(...repeatedWindows(template, runs));
    const cold = VARIANTS.flatMap(variant =>
      runs[variant].filter(
        r => r.warmup.requests < options.warmupRequests[template],
      ),
    );
    if (cold.length) {
      notes.push(
        `${template}: ${cold.length} runs got fewer than ${num(
          options.warmupRequests[template],
        )} warm-up requests in ${options.warmupMaxSeconds} s.`,
      );
    }
    if (runs.off.some(r => r.spans > 0 || r.metricPoints > 0)) {
      notes.push(
        `${template}: spans or metrics arrived with OTEL_SDK_DISABLED=true.`,
      );
    }
    for (const variant of ON_VARIANTS) {
      if (runs[variant].some(r => r.spans === 0 || r.metricPoints === 0)) {
        notes.push(
          `${template}: a run ${label(variant)} exported no span or no metric.`,
        );
      }
    }
  }

  const tables: Table[] = [];
  if (httpRows.length) {
    tables.push({
      title: `3a. Telemetry overhead, HTTP: CPU per request at a fixed ${num(
        options.httpRate,
      )} requests/s (\`vegeta attack -rate=${options.httpRate}/1s -duration=${
        options.rateSeconds
      }s\`, GET ${HELLO}, ${
        options.windows
      } windows per process, interleaved), median of ${
        options.httpRounds
      } rounds`,
      columns: [
        'Service',
        'Telemetry',
        'Service CPU per request, JIT compiler left out (range)',
        'JIT compiler per request',
        'Settling at the rate',
        'Service CPU, cores (range)',
        'Answered/s',
        'p50',
        'p99',
        'Spans exported',
        'Metric points exported',
        'Receiver CPU',
        'RSS after load',
        'Errors',
      ],
      rows: httpRows,
      notes: [
        `The overhead figure. Every variant receives the same requests at the same pace: vegeta sends ${num(
          options.httpRate,
        )} requests/s whatever the service's latency (open model), well below what the slowest variant serves saturated (table 3a′), so the service idles between requests in every variant and "CPU per request" compares equal work. Under saturating closed-model load (wrk) a JVM's CPU per request falls as its throughput rises (batching, fewer wake-ups), so a slower variant — or a busier machine — looks costlier per request than it is.`,
        `Same build, on loopback. Each round starts a fresh process per variant, each with its own OTLP receiver, warms them up one after the other (the order rotates every round) and then measures them in ${
          options.windows
        } windows of ${
          options.rateSeconds
        } s each, interleaved: off, 10 %, 100 %, then 10 %, 100 %, off, and so on. The level of the whole machine drifts: four go-api processes of the same variant measured this way tracked each other from window to window while all of them moved by ±20 % within a minute, so runs of the variants one after the other (as this section measured before) compared different stretches of that drift. Before its windows each process gets unmeasured wrk load until it answered ${num(
          options.warmupRequests['go-api'],
        )} (go-api) / ${num(
          options.warmupRequests['java-api'],
        )} (java-api) requests (at most ${
          options.warmupMaxSeconds
        } s), then the ${
          options.wrkSeconds
        } s saturating run of table 3a′, a 2 s pause, and unmeasured load at the measured rate in ${
          options.settlePieceSeconds
        } s pieces until the JIT compiler threads used less than ${
          options.settleJitShare * 100
        } % of the service's CPU in a piece (at most ${
          options.settleMaxSeconds
        } s; "Settling at the rate"); once all three are warm, one more unmeasured piece each, as the first ones idled while the others warmed up. A measured window into which the process's first periodic metric export fell is discarded and repeated: that export runs cold (java-api's took about 120 ms of CPU; the later ones, which are measured wherever they fall, about 10 ms a minute, 0.3 µs per request at this rate). After the saturating load alone, java-api's C2 compiler was still compiling the request path in the measured run, at 1–3 times the requests' own CPU, in every variant: a one-off start-up cost, not a per-request one. "JIT compiler per request" is what the compiler threads still used in the measured windows: it comes in bursts (0–150 µs per request in runs of the same variant, off included), so the overhead figure leaves it out and the ratio with all threads is shown beside it.`,
        '"10 %" is the generated deploy/base/otel.env as is: service name, cost-tag resource attributes, the policy sampler `parentbased_traceidratio` 0.1, metrics on (OTEL_METRICS_EXPORTER=otlp, the policy export interval), with OTEL_EXPORTER_OTLP_ENDPOINT pointed at an OTLP/HTTP receiver in the bench process, which keeps every export and decodes it after the process stopped (decoding during it competed with the service for the 2 cores). vegeta sends no traceparent, so about 1 request in 10 starts a sampled trace. "100 %" is the same with OTEL_TRACES_SAMPLER_ARG=1.0: every request is traced and exported. Every request is measured in the duration histogram in both.',
        "Service CPU per request: user + system time of the service process (all threads but the JIT compiler's, /proc/<pid>/stat and /proc/<pid>/task/*/stat) during its measured windows, divided by the requests sent in them. Its ratio is the median of the per-round ratios, with their range; the latency ratios are ratios of the medians (a process's latencies are the medians over its windows). Service CPU, cores: the CPU time of all its threads per second of its windows (how far below one core the rate keeps the service).",
        "Receiver CPU: CPU time of the bench process during the process's windows plus the decoding after it, nearly all of it the OTLP receivers; a real collector runs elsewhere.",
        "Spans and metric points exported: what the process's receiver got from its first measured window to its SIGTERM flush (the last spans of its unmeasured piece just before may be among them; metrics are exported every OTEL_METRIC_EXPORT_INTERVAL and once more on shutdown).",
        `java-api runs with the JVM flags of its generated image (Dockerfile ENTRYPOINT) plus -XX:MaxRAM at the Deployment's memory limit, as the JVM would size itself in the pod: ${(
          options.services['java-api']?.args ?? []
        )
          .filter(a => a.startsWith('-XX'))
          .join(' ')}.`,
      ],
    });
  }
  if (saturatedRows.length) {
    tables.push({
      title: `3a′. HTTP saturated (secondary): \`wrk -t1 -c16 -d${options.wrkSeconds}s --latency ${HELLO}\`, median of ${options.httpRounds} processes each`,
      columns: [
        'Service',
        'Telemetry',
        'Requests/s (range)',
        'p50',
        'p99',
        'Errors',
      ],
      rows: saturatedRows,
      notes: [
        'Throughput and latency when the service gets all the load it can take, on the same warm processes as table 3a, just before its fixed-rate run. wrk (one thread), the OTLP receiver and the service share the machine, so on 2 cores the throughput ratio also pays for receiving what is exported, and it moves with any other work on the machine: it is not the overhead figure.',
      ],
    });
  }

  const worker = options.services['node-worker'];
  if (worker) {
    // The publisher runs in the worker's repository, so that it imports the worker's own NATS client.
    writeFileSync(join(worker.repoDir, 'bench-publish.mjs'), PUBLISHER);
    const runs = emptyRuns<JobsRun>();
    await options.timings.time(
      `tracing: node-worker, ${options.jobRounds} rounds of telemetry off, 10 % and 100 % sampled`,
      async () => {
        for (let i = 0; i < options.jobRounds; i++) {
          const round = await workerRound(worker, i, options);
          for (const variant of VARIANTS) runs[variant].push(round[variant]);
        }
      },
    );
    data['node-worker'] = runs;
    notes.push(...repeatedWindows('node-worker', runs));
    const { med, range } = statsOf(runs);
    const fixedCpu = (r: JobsRun) => r.fixed.cpuUsPerJob;
    const saturatedCpu = (r: JobsRun) => r.saturated.cpuUsPerJob;
    const saturatedRate = (r: JobsRun) => r.saturated.jobsPerSecond;
    const fixedRate = (r: JobsRun) => r.fixed.jobsPerSecond;
    tables.push({
      title: `3b. Telemetry overhead, node-worker: CPU per job at a fixed ${num(
        options.jobRate,
      )} jobs/s through a real nats-server (JetStream), ${
        options.windows
      } windows of ${
        options.rateSeconds
      } s per worker, interleaved, and a saturating burst of ${num(
        options.jobs,
      )} jobs, median of ${options.jobRounds} rounds`,
      columns: [
        'Telemetry',
        `Worker CPU per job at ${num(options.jobRate)} jobs/s (range)`,
        'Processed/s at the rate',
        'Saturated: jobs/s (range)',
        'Saturated: worker CPU per job (range)',
        'Spans exported',
        'Metric points exported',
        'RSS after',
      ],
      rows: [
        ...VARIANTS.map(variant => [
          label(variant),
          `${num(med(variant, fixedCpu), 1)} µs (${range(
            variant,
            fixedCpu,
            1,
          )})`,
          num(med(variant, fixedRate)),
          `${num(med(variant, saturatedRate))} (${range(
            variant,
            saturatedRate,
          )})`,
          `${num(med(variant, saturatedCpu), 1)} µs (${range(
            variant,
            saturatedCpu,
            1,
          )})`,
          num(med(variant, r => r.spans)),
          num(med(variant, r => r.metricPoints)),
          mib(med(variant, r => r.rssKiB)),
        ]),
        ...ON_VARIANTS.map(variant => [
          RATIO_LABELS[variant],
          pairedRatio(runs, variant, fixedCpu),
          '',
          ratio(med(variant, saturatedRate), med('off', saturatedRate)),
          pairedRatio(runs, variant, saturatedCpu),
          '',
          '',
          ratio(
            med(variant, r => r.rssKiB),
            med('off', r => r.rssKiB),
          ),
        ]),
      ],
      notes: [
        `The overhead figure is the CPU per job at the fixed rate, measured as the HTTP services' CPU per request is (table 3a): a publisher sends ${num(
          options.jobRate,
        )} jobs/s whatever the acks' latency (open model), so every variant gets the same jobs at the same pace and "CPU per job" compares equal work. In the saturating burst the worker takes jobs in batches as fast as it can, and its CPU per job moves with how the jobs bunch up (the rounds of one variant differed by up to 30 % in one run), as wrk's does for the HTTP services (table 3a′).`,
        `The worker runs with its defaults (CONCURRENCY 4). Each round starts a worker per variant, each with its own nats-server and OTLP receiver, warms them up one after the other and then measures them in ${
          options.windows
        } interleaved windows of ${num(
          options.jobRate * options.rateSeconds,
        )} jobs each, as table 3a does (a window into which the worker's first metric export fell is repeated). After ${num(
          options.jobWarmup,
        )} unmeasured jobs (so V8 has compiled the job path, as the HTTP services get unmeasured load first), a separate Node process publishes the burst, 100 jobs at a time, then after a 2 s pause (and, once all three are warm, an unmeasured half window each) the fixed-rate windows, with the worker\'s own NATS client and without trace context, so the policy sampler starts a sampled trace for about 1 job in 10 ("10 %"), or for every job ("100 %"). Metrics are on in both: every job is counted and timed.`,
        'Worker CPU per job: CPU time of the worker from each window\'s first publish until it logged "invoice created" for the window\'s last job, summed over its windows and divided by their jobs; its ratio is the median of the per-round ratios, with their range. Saturated jobs/s = jobs / (first publish → the last job). Spans and metric points are those of the measured windows and the SIGTERM flush.',
      ],
    });
    if (runs.off.some(r => r.spans > 0 || r.metricPoints > 0)) {
      notes.push(
        'node-worker: spans or metrics arrived with OTEL_SDK_DISABLED=true.',
      );
    }
    for (const variant of ON_VARIANTS) {
      if (runs[variant].some(r => r.spans === 0 || r.metricPoints === 0))
        notes.push(
          `node-worker: a run ${label(variant)} exported no span or no metric.`,
        );
    }
  }
  return {
    id: 'tracing',
    title: '3. Telemetry overhead of generated services (traces and metrics)',
    tables,
    data,
    notes,
  };
}
