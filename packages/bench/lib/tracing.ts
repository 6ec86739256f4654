// Section "tracing": what the generated telemetry (traces and metrics) costs at runtime. The same build runs three
// ways on loopback: with its generated OTEL_* settings (policy sampler, 10 %; batch span export and metrics to a local
// OTLP receiver), the same with every trace sampled (100 %), and with OTEL_SDK_DISABLED=true.
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
  readyAfter,
  rssKiB,
  serviceEnv,
  startLogged,
  type BuiltService,
} from './services.ts';
import { onCleanup, sleep, type Timings } from './system.ts';
import { runWrk, type WrkResult } from './wrk.ts';

export type TracingOptions = {
  services: Partial<Record<BuiltService['template'], BuiltService>>;
  logDir: string;
  timings: Timings;
  wrkSeconds: number;
  /** Unmeasured load before the measured run; the JVM needs it to compile the hot path. */
  warmupSeconds: { 'go-api': number; 'java-api': number };
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
  wrk: WrkResult;
  /** CPU time of the service during the measured load, per request, in microseconds. */
  cpuUsPerRequest: number;
  /** CPU time of this process (mostly the OTLP receiver) during the measured load, in ms. */
  receiverCpuMs: number;
  rssKiB: number;
  spans: number;
  /** Metric data points the receiver decoded (the final export on SIGTERM, and any periodic one). */
  metricPoints: number;
  exitCode: number | null;
};

/**
 * The overhead of `variant` as the median of its per-round ratios to `off`, with their range. The three variants of
 * a round run back to back, so each ratio compares runs under the same machine load; a drift in the load between
 * rounds (other work on a shared machine) moves both sides of a ratio instead of one.
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

const metricPoints = (receiver: OtlpReceiver) =>
  receiver.metrics.reduce((sum, m) => sum + m.points.length, 0);

const ownCpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

/** Starts one service, loads it with wrk, stops it with SIGTERM (which flushes its spans and metrics). */
async function httpRun(
  service: BuiltService,
  variant: Variant,
  receiver: OtlpReceiver,
  options: TracingOptions,
): Promise<HttpRun> {
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
  const kill = onCleanup(`${service.template} (${variant})`, () => {
    if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    await readyAfter(`${base}${service.readyPath}`, performance.now(), {
      timeoutMs: 120_000,
      pollMs: 100,
      exited: proc.exited,
    });
    const warmup =
      options.warmupSeconds[service.template as 'go-api' | 'java-api'];
    if (warmup > 0) await runWrk(`${base}${HELLO}`, { seconds: warmup });
    // Count only what the measured load exports (plus what the shutdown flushes).
    receiver.spans.length = 0;
    receiver.metrics.length = 0;
    const pid = proc.child.pid!;
    const cpuBefore = cpuMs(pid);
    const ownBefore = ownCpuMs();
    const wrk = await runWrk(`${base}${HELLO}`, {
      seconds: options.wrkSeconds,
    });
    const cpuAfter = cpuMs(pid);
    const ownAfter = ownCpuMs();
    const rss = rssKiB(pid);
    const { code } = await terminate(proc);
    return {
      wrk,
      cpuUsPerRequest: ((cpuAfter - cpuBefore) * 1000) / wrk.requests,
      receiverCpuMs: ownAfter - ownBefore,
      rssKiB: rss,
      spans: receiver.spans.length,
      metricPoints: metricPoints(receiver),
      exitCode: code,
    };
  } finally {
    await kill();
    proc.keepTail();
  }
}

const PUBLISHER = `
import { connect } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
const nc = await connect({ servers: process.env.NATS_URL });
const js = jetstream(nc);
const jobs = Number(process.env.JOBS);
const startedAt = Date.now();
const started = performance.now();
for (let i = 0; i < jobs; i += 100) {
  await Promise.all(
    Array.from({ length: Math.min(100, jobs - i) }, (_, k) =>
      js.publish(process.env.SUBJECT, JSON.stringify({
        orderId: 'ORD-' + (i + k), customerId: 'C-1', currency: 'EUR',
        lines: [{ sku: 'book', quantity: 2, unitPriceCents: 1250 }],
      })),
    ),
  );
}
const publishMs = performance.now() - started;
await nc.drain();
console.log(JSON.stringify({ startedAt, publishMs }));
`;

type JobsRun = {
  jobs: number;
  seconds: number;
  jobsPerSecond: number;
  publishMs: number;
  /** CPU time of the worker from the first measured publish until it logged the last job, per job, in ms. */
  cpuMsPerJob: number;
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

/**
 * Starts the worker against a fresh nats-server, publishes `jobWarmup` unmeasured jobs and then `jobs` measured ones,
 * and waits until it logged every one.
 */
async function jobsRun(
  service: BuiltService,
  variant: Variant,
  receiver: OtlpReceiver,
  options: TracingOptions,
): Promise<JobsRun> {
  const nats = await startNatsServer();
  const stopNats = onCleanup('nats-server', () => nats.stop());
  try {
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
    const kill = onCleanup(`node-worker (${variant})`, () => {
      if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
    });
    try {
      await readyAfter(
        `http://127.0.0.1:${port}${service.readyPath}`,
        performance.now(),
        {
          timeoutMs: 60_000,
          pollMs: 100,
          exited: proc.exited,
        },
      );
      writeFileSync(join(service.repoDir, 'bench-publish.mjs'), PUBLISHER);
      const name = service.repoDir.split('/').pop()!;
      const publish = (jobs: number) => {
        const publisher = spawn(process.execPath, ['bench-publish.mjs'], {
          cwd: service.repoDir,
          env: {
            ...process.env,
            NATS_URL: nats.url,
            SUBJECT: `${name}.jobs`,
            JOBS: String(jobs),
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        publisher.stdout.on('data', d => (output += d));
        publisher.stderr.on('data', d => (output += d));
        const exited = new Promise<number | null>(done =>
          publisher.once('exit', c => done(c)),
        );
        return { publisher, exited, output: () => output };
      };

      // The worker logs every processed job with its time (ms): the last one's time ends the measurement.
      const follower = logFollower(proc.logFile);
      const waitForJobs = async (
        total: number,
        publisher: ReturnType<typeof publish>,
      ) => {
        const deadline = Date.now() + 180_000;
        for (;;) {
          const { count, lastTime } = follower.poll();
          if (count >= total) return lastTime;
          if (Date.now() > deadline) {
            publisher.publisher.kill('SIGKILL');
            throw new Error(`only ${count} of ${total} jobs processed in 180 s`);
          }
          await sleep(20);
        }
      };
      const pid = proc.child.pid!;
      let doneAt: number;
      let cpuBefore: number;
      let measured: ReturnType<typeof publish>;
      try {
        if (options.jobWarmup > 0) {
          const warmup = publish(options.jobWarmup);
          await waitForJobs(options.jobWarmup, warmup);
          if ((await warmup.exited) !== 0)
            throw new Error(`publisher failed:\n${warmup.output()}`);
        }
        receiver.spans.length = 0;
        receiver.metrics.length = 0;
        cpuBefore = cpuMs(pid);
        measured = publish(options.jobs);
        doneAt = await waitForJobs(options.jobWarmup + options.jobs, measured);
      } finally {
        follower.close();
      }
      const cpuAfter = cpuMs(pid);
      if ((await measured.exited) !== 0)
        throw new Error(`publisher failed:\n${measured.output()}`);
      const { startedAt, publishMs } = JSON.parse(
        measured.output().trim().split('\n').pop()!,
      );
      const seconds = (doneAt - startedAt) / 1000;
      const rss = rssKiB(pid);
      const { code } = await terminate(proc);
      return {
        jobs: options.jobs,
        seconds,
        jobsPerSecond: options.jobs / seconds,
        publishMs,
        cpuMsPerJob: (cpuAfter - cpuBefore) / options.jobs,
        rssKiB: rss,
        spans: receiver.spans.length,
        metricPoints: metricPoints(receiver),
        exitCode: code,
      };
    } finally {
      await kill();
      proc.keepTail();
    }
  } finally {
    await stopNats();
  }
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
  const receiver = await startOtlpReceiver();
  const closeReceiver = onCleanup('OTLP receiver', () => receiver.close());
  const data: Record<string, unknown> = {};
  const notes: string[] = [];
  const httpRows: Table['rows'] = [];
  const emptyRuns = <T>(): Record<Variant, T[]> => ({
    off: [],
    default: [],
    full: [],
  });
  try {
    for (const template of ['go-api', 'java-api'] as const) {
      const service = options.services[template];
      if (!service) continue;
      const runs = emptyRuns<HttpRun>();
      await options.timings.time(
        `tracing: ${template}, ${options.httpRounds} rounds of telemetry off, 10 % and 100 % sampled`,
        async () => {
          for (let i = 0; i < options.httpRounds; i++) {
            for (const variant of roundOrder(i)) {
              runs[variant].push(
                await httpRun(service, variant, receiver, options),
              );
            }
          }
        },
      );
      data[template] = Object.fromEntries(
        VARIANTS.map(v => [
          v,
          runs[v].map(r => ({ ...r, wrk: { ...r.wrk, raw: undefined } })),
        ]),
      );
      const med = (variant: Variant, pick: (r: HttpRun) => number) =>
        median(runs[variant].map(pick));
      const spread = (variant: Variant, pick: (r: HttpRun) => number) => {
        const values = runs[variant].map(pick);
        return `${num(Math.min(...values), 1)} – ${num(
          Math.max(...values),
          1,
        )}`;
      };
      const rps = (r: HttpRun) => r.wrk.requestsPerSecond;
      const p50 = (r: HttpRun) => r.wrk.p50Ms;
      const p99 = (r: HttpRun) => r.wrk.p99Ms;
      const cpu = (r: HttpRun) => r.cpuUsPerRequest;
      const rss = (r: HttpRun) => r.rssKiB;
      for (const variant of VARIANTS) {
        const values = runs[variant].map(rps);
        const errors = runs[variant].reduce(
          (sum, r) => sum + r.wrk.non2xx + r.wrk.socketErrors,
          0,
        );
        httpRows.push([
          template,
          label(variant),
          `${num(med(variant, rps))} (${num(Math.min(...values))} – ${num(
            Math.max(...values),
          )})`,
          ms(med(variant, p50)),
          ms(med(variant, p99)),
          `${num(med(variant, cpu), 1)} µs (${spread(variant, cpu)})`,
          num(med(variant, r => r.spans)),
          num(med(variant, r => r.metricPoints)),
          `${(med(variant, r => r.receiverCpuMs) / 1000).toFixed(1)} s`,
          mib(med(variant, rss)),
          String(errors),
        ]);
      }
      for (const variant of ON_VARIANTS) {
        httpRows.push([
          template,
          RATIO_LABELS[variant],
          ratio(med(variant, rps), med('off', rps)),
          ratio(med(variant, p50), med('off', p50)),
          ratio(med(variant, p99), med('off', p99)),
          pairedRatio(runs, variant, cpu),
          '',
          '',
          '',
          ratio(med(variant, rss), med('off', rss)),
          '',
        ]);
      }
      if (runs.off.some(r => r.spans > 0 || r.metricPoints > 0)) {
        notes.push(
          `${template}: spans or metrics arrived with OTEL_SDK_DISABLED=true.`,
        );
      }
      for (const variant of ON_VARIANTS) {
        if (runs[variant].some(r => r.spans === 0 || r.metricPoints === 0)) {
          notes.push(
            `${template}: a run ${label(
              variant,
            )} exported no span or no metric.`,
          );
        }
      }
    }

    const tables: Table[] = [];
    if (httpRows.length) {
      tables.push({
        title: `3a. Telemetry overhead, HTTP: \`wrk -t1 -c16 -d${options.wrkSeconds}s --latency ${HELLO}\`, median of ${options.httpRounds} runs each`,
        columns: [
          'Service',
          'Telemetry',
          'Requests/s (range)',
          'p50',
          'p99',
          'Service CPU per request (range)',
          'Spans exported',
          'Metric points exported',
          'Receiver CPU',
          'RSS after load',
          'Errors',
        ],
        rows: httpRows,
        notes: [
          `Same build, fresh process per run (the order of off, 10 %, 100 % rotates every round), on loopback, after ${options.warmupSeconds['go-api']} s (go-api) / ${options.warmupSeconds['java-api']} s (java-api) of unmeasured wrk load.`,
          '"10 %" is the generated deploy/base/otel.env as is: service name, cost-tag resource attributes, the policy sampler `parentbased_traceidratio` 0.1, metrics on (OTEL_METRICS_EXPORTER=otlp, the policy export interval), with OTEL_EXPORTER_OTLP_ENDPOINT pointed at an OTLP/HTTP receiver in the bench process, which decodes every export. wrk sends no traceparent, so about 1 request in 10 starts a sampled trace. "100 %" is the same with OTEL_TRACES_SAMPLER_ARG=1.0: every request is traced and exported. Every request is measured in the duration histogram in both.',
          'Service CPU per request: user + system time of the service process (all threads, /proc/<pid>/stat) during the measured run, divided by the requests wrk completed. It does not depend on how the cores are shared, so it is the steadier number on a small machine. Its ratio is the median of the per-round ratios (each round runs off, 10 % and 100 % back to back), with their range; the other ratios are ratios of the medians.',
          'Receiver CPU: CPU time of the bench process during the run, nearly all of it the OTLP receiver decoding spans. wrk (one thread), the receiver and the service share the machine, so on 2 cores the throughput ratio also pays for receiving what is exported; a real collector runs elsewhere.',
          'Spans and metric points exported: what the receiver decoded during the measured run and the SIGTERM flush (metrics are exported every OTEL_METRIC_EXPORT_INTERVAL and once more on shutdown).',
          `java-api runs with the JVM flags of its generated image (Dockerfile ENTRYPOINT) plus -XX:MaxRAM at the Deployment's memory limit, as the JVM would size itself in the pod: ${(
            options.services['java-api']?.args ?? []
          )
            .filter(a => a.startsWith('-XX'))
            .join(' ')}.`,
        ],
      });
    }

    const worker = options.services['node-worker'];
    if (worker) {
      const runs = emptyRuns<JobsRun>();
      await options.timings.time(
        `tracing: node-worker, ${options.jobRounds} rounds of telemetry off, 10 % and 100 % sampled`,
        async () => {
          for (let i = 0; i < options.jobRounds; i++) {
            for (const variant of roundOrder(i)) {
              runs[variant].push(
                await jobsRun(worker, variant, receiver, options),
              );
            }
          }
        },
      );
      data['node-worker'] = runs;
      const med = (variant: Variant, key: keyof JobsRun) =>
        median(runs[variant].map(r => r[key] as number));
      const range = (variant: Variant, key: keyof JobsRun, digits = 0) => {
        const values = runs[variant].map(r => r[key] as number);
        return `${num(Math.min(...values), digits)} – ${num(
          Math.max(...values),
          digits,
        )}`;
      };
      tables.push({
        title: `3b. Telemetry overhead, node-worker: ${num(
          options.jobs,
        )} jobs through a real nats-server (JetStream), median of ${
          options.jobRounds
        } runs`,
        columns: [
          'Telemetry',
          'Jobs/s',
          'Range',
          'All processed after',
          'Worker CPU per job (range)',
          'Spans exported',
          'Metric points exported',
          'RSS after',
        ],
        rows: [
          ...VARIANTS.map(variant => [
            label(variant),
            num(med(variant, 'jobsPerSecond')),
            range(variant, 'jobsPerSecond'),
            `${med(variant, 'seconds').toFixed(2)} s`,
            `${med(variant, 'cpuMsPerJob').toFixed(2)} ms (${range(
              variant,
              'cpuMsPerJob',
              2,
            )})`,
            num(med(variant, 'spans')),
            num(med(variant, 'metricPoints')),
            mib(med(variant, 'rssKiB')),
          ]),
          ...ON_VARIANTS.map(variant => [
            RATIO_LABELS[variant],
            ratio(med(variant, 'jobsPerSecond'), med('off', 'jobsPerSecond')),
            '',
            ratio(med(variant, 'seconds'), med('off', 'seconds')),
            pairedRatio(runs, variant, r => r.cpuMsPerJob),
            '',
            '',
            ratio(med(variant, 'rssKiB'), med('off', 'rssKiB')),
          ]),
        ],
        notes: [
          `The worker runs with its defaults (CONCURRENCY 4) against a fresh nats-server per run; after ${num(
            options.jobWarmup,
          )} unmeasured jobs (so V8 has compiled the job path, as the HTTP services get unmeasured load first), a separate Node process publishes the measured jobs 100 at a time with the worker\'s own NATS client, without trace context, so the policy sampler starts a sampled trace for about 1 job in 10 ("10 %"), or for every job ("100 %"). Metrics are on in both: every job is counted and timed.`,
          'Jobs/s = jobs / (first publish → the time the worker logged "invoice created" for the last job). Worker CPU per job: CPU time of the worker from the first measured publish until the last job, divided by the measured jobs; its ratio is the median of the per-round ratios, with their range. The order of the variants rotates every round.',
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
            `node-worker: a run ${label(
              variant,
            )} exported no span or no metric.`,
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
  } finally {
    await closeReceiver();
  }
}
