// Section "tracing": what the generated tracing costs at runtime. The same build runs twice on loopback: with its
// generated OTEL_* settings (policy sampler, batch export to a local OTLP receiver) and with OTEL_SDK_DISABLED=true.
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
  jobRounds: number;
  httpRounds: number;
};

type Variant = 'off' | 'on';
const VARIANTS: Variant[] = ['off', 'on'];
const HELLO = '/api/v1/hello?name=bench';

type HttpRun = {
  wrk: WrkResult;
  /** CPU time of the service during the measured load, per request, in microseconds. */
  cpuUsPerRequest: number;
  /** CPU time of this process (mostly the OTLP receiver) during the measured load, in ms. */
  receiverCpuMs: number;
  rssKiB: number;
  spans: number;
  exitCode: number | null;
};

const ownCpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

/** Starts one service, loads it with wrk, stops it with SIGTERM (which flushes its spans). */
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
      tracing: variant === 'on',
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
    receiver.spans.length = 0; // count only the spans of the measured load (plus what the shutdown flushes)
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
  /** CPU time of the worker from its readiness until it stopped, per job, in ms. */
  cpuMsPerJob: number;
  rssKiB: number;
  spans: number;
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

/** Starts the worker against a fresh nats-server, publishes `jobs` jobs, and waits until it logged every one. */
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
          tracing: variant === 'on',
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
      receiver.spans.length = 0;
      const pid = proc.child.pid!;
      const cpuBefore = cpuMs(pid);
      writeFileSync(join(service.repoDir, 'bench-publish.mjs'), PUBLISHER);
      const name = service.repoDir.split('/').pop()!;
      const publisher = spawn(process.execPath, ['bench-publish.mjs'], {
        cwd: service.repoDir,
        env: {
          ...process.env,
          NATS_URL: nats.url,
          SUBJECT: `${name}.jobs`,
          JOBS: String(options.jobs),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let published = '';
      publisher.stdout.on('data', d => (published += d));
      publisher.stderr.on('data', d => (published += d));
      const publisherExit = new Promise<number | null>(done =>
        publisher.once('exit', c => done(c)),
      );

      // The worker logs every processed job with its time (ms): the last one's time ends the measurement.
      const follower = logFollower(proc.logFile);
      const deadline = Date.now() + 180_000;
      let doneAt = NaN;
      try {
        for (;;) {
          const { count, lastTime } = follower.poll();
          if (count >= options.jobs) {
            doneAt = lastTime;
            break;
          }
          if (Date.now() > deadline) {
            publisher.kill('SIGKILL');
            throw new Error(
              `only ${count} of ${options.jobs} jobs processed in 180 s`,
            );
          }
          await sleep(20);
        }
      } finally {
        follower.close();
      }
      const cpuAfter = cpuMs(pid);
      if ((await publisherExit) !== 0)
        throw new Error(`publisher failed:\n${published}`);
      const { startedAt, publishMs } = JSON.parse(
        published.trim().split('\n').pop()!,
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
const label = (variant: Variant) =>
  variant === 'on' ? 'on (generated otel.env)' : 'off (OTEL_SDK_DISABLED=true)';

export async function tracingSection(
  options: TracingOptions,
): Promise<Omit<SectionResult, 'seconds'>> {
  const receiver = await startOtlpReceiver();
  const closeReceiver = onCleanup('OTLP receiver', () => receiver.close());
  const data: Record<string, unknown> = {};
  const notes: string[] = [];
  const httpRows: Table['rows'] = [];
  try {
    for (const template of ['go-api', 'java-api'] as const) {
      const service = options.services[template];
      if (!service) continue;
      const runs: Record<Variant, HttpRun[]> = { off: [], on: [] };
      await options.timings.time(
        `tracing: ${template}, ${options.httpRounds} rounds of tracing off and on`,
        async () => {
          for (let i = 0; i < options.httpRounds; i++) {
            // off, on, on, off, ...: a drift in the machine's load hits both variants alike.
            for (const variant of i % 2 ? (['on', 'off'] as const) : VARIANTS) {
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
          `${num(med(variant, cpu), 1)} µs`,
          num(med(variant, r => r.spans)),
          `${(med(variant, r => r.receiverCpuMs) / 1000).toFixed(1)} s`,
          mib(med(variant, rss)),
          String(errors),
        ]);
      }
      httpRows.push([
        template,
        '**on / off**',
        ratio(med('on', rps), med('off', rps)),
        ratio(med('on', p50), med('off', p50)),
        ratio(med('on', p99), med('off', p99)),
        ratio(med('on', cpu), med('off', cpu)),
        '',
        '',
        ratio(med('on', rss), med('off', rss)),
        '',
      ]);
      if (runs.off.some(r => r.spans > 0)) {
        notes.push(`${template}: spans arrived with OTEL_SDK_DISABLED=true.`);
      }
      if (runs.on.some(r => r.spans === 0)) {
        notes.push(`${template}: a run with tracing on exported no span.`);
      }
    }

    const tables: Table[] = [];
    if (httpRows.length) {
      tables.push({
        title: `3a. Tracing overhead, HTTP: \`wrk -t1 -c16 -d${options.wrkSeconds}s --latency ${HELLO}\`, median of ${options.httpRounds} runs each`,
        columns: [
          'Service',
          'Tracing',
          'Requests/s (range)',
          'p50',
          'p99',
          'Service CPU per request',
          'Spans exported',
          'Receiver CPU',
          'RSS after load',
          'Errors',
        ],
        rows: httpRows,
        notes: [
          `Same build, fresh process per run (order off, on, on, off, ...), on loopback, after ${options.warmupSeconds['go-api']} s (go-api) / ${options.warmupSeconds['java-api']} s (java-api) of unmeasured wrk load.`,
          '"On" is the generated deploy/base/otel.env as is (service name, cost-tag resource attributes, the policy sampler `parentbased_traceidratio` 0.1) with OTEL_EXPORTER_OTLP_ENDPOINT pointed at an OTLP/HTTP receiver in the bench process, which decodes every export. wrk sends no traceparent, so about 1 request in 10 starts a sampled trace.',
          'Service CPU per request: user + system time of the service process (all threads, /proc/<pid>/stat) during the measured run, divided by the requests wrk completed. It does not depend on how the cores are shared, so it is the steadier number on a small machine.',
          'Receiver CPU: CPU time of the bench process during the run, nearly all of it the OTLP receiver decoding spans. wrk (one thread), the receiver and the service share the machine, so on 2 cores the throughput ratio also pays for receiving what is exported; a real collector runs elsewhere.',
          'Spans exported: spans the receiver decoded during the measured run and the SIGTERM flush.',
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
      const runs: Record<Variant, JobsRun[]> = { off: [], on: [] };
      await options.timings.time(
        `tracing: node-worker, ${options.jobRounds} rounds of tracing off and on`,
        async () => {
          for (let i = 0; i < options.jobRounds; i++) {
            for (const variant of i % 2 ? (['on', 'off'] as const) : VARIANTS) {
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
      const range = (variant: Variant) => {
        const values = runs[variant].map(r => r.jobsPerSecond);
        return `${num(Math.min(...values))} – ${num(Math.max(...values))}`;
      };
      tables.push({
        title: `3b. Tracing overhead, node-worker: ${num(
          options.jobs,
        )} jobs through a real nats-server (JetStream), median of ${
          options.jobRounds
        } runs`,
        columns: [
          'Tracing',
          'Jobs/s',
          'Range',
          'All processed after',
          'Worker CPU per job',
          'Spans exported',
          'RSS after',
        ],
        rows: [
          ...VARIANTS.map(variant => [
            label(variant),
            num(med(variant, 'jobsPerSecond')),
            range(variant),
            `${med(variant, 'seconds').toFixed(2)} s`,
            `${med(variant, 'cpuMsPerJob').toFixed(2)} ms`,
            num(med(variant, 'spans')),
            mib(med(variant, 'rssKiB')),
          ]),
          [
            '**on / off**',
            ratio(med('on', 'jobsPerSecond'), med('off', 'jobsPerSecond')),
            '',
            ratio(med('on', 'seconds'), med('off', 'seconds')),
            ratio(med('on', 'cpuMsPerJob'), med('off', 'cpuMsPerJob')),
            '',
            ratio(med('on', 'rssKiB'), med('off', 'rssKiB')),
          ],
        ],
        notes: [
          "The worker runs with its defaults (CONCURRENCY 4) against a fresh nats-server per run; a separate Node process publishes the jobs 100 at a time with the worker's own NATS client, without trace context, so the policy sampler starts a sampled trace for about 1 job in 10.",
          'Jobs/s = jobs / (first publish → the time the worker logged "invoice created" for the last job). Worker CPU per job: CPU time of the worker from its readiness until the last job, divided by the jobs. Runs alternate between the variants.',
        ],
      });
      if (runs.off.some(r => r.spans > 0)) {
        notes.push('node-worker: spans arrived with OTEL_SDK_DISABLED=true.');
      }
      if (runs.on.some(r => r.spans === 0))
        notes.push('node-worker: a traced run exported no span.');
    }
    return {
      id: 'tracing',
      title: '3. Tracing overhead of generated services',
      tables,
      data,
      notes,
    };
  } finally {
    await closeReceiver();
  }
}
