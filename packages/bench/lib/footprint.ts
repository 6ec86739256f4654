// Section "footprint": how fast the generated go-api is ready and how much memory it holds, with its generated
// tracing against the same binary with OTEL_SDK_DISABLED=true.
import { freePort } from '../../test-utils/src/backendProcess.ts';
import { startOtlpReceiver } from '../../test-utils/src/otlpReceiver.ts';
import { terminate } from '../../test-utils/src/processes.ts';
import { median, ms, ratio, type SectionResult } from './report.ts';
import {
  readyAfter,
  rssKiB,
  serviceEnv,
  startLogged,
  type BuiltService,
} from './services.ts';
import { onCleanup, type Timings } from './system.ts';
import { runWrk } from './wrk.ts';

type Variant = 'on' | 'off';
type Start = {
  readyMs: number;
  rssReadyKiB: number;
  rssAfterKiB: number;
  requestsPerSecond: number;
};

export async function footprintSection(options: {
  service: BuiltService;
  starts: number;
  wrkSeconds: number;
  logDir: string;
  timings: Timings;
}): Promise<Omit<SectionResult, 'seconds'>> {
  const { service } = options;
  const receiver = await startOtlpReceiver();
  const closeReceiver = onCleanup('OTLP receiver', () => receiver.close());
  const starts: Record<Variant, Start[]> = { on: [], off: [] };
  try {
    await options.timings.time(
      `footprint: ${options.starts} starts each, tracing on and off`,
      async () => {
        for (let i = 0; i < options.starts; i++) {
          // Alternate, so a drift in the machine's load hits both variants alike.
          for (const variant of i % 2
            ? (['off', 'on'] as const)
            : (['on', 'off'] as const)) {
            const port = await freePort();
            const env = serviceEnv(service, {
              telemetry: variant === 'on' ? 'default' : 'off',
              otlpEndpoint: receiver.endpoint,
              port,
            });
            const spawnedAt = performance.now();
            const proc = startLogged(
              service,
              env,
              options.logDir,
              `footprint-${variant}-${i}`,
            );
            const kill = onCleanup(`go-api (footprint ${variant})`, () => {
              if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
            });
            try {
              const readyMs = await readyAfter(
                `http://127.0.0.1:${port}/readyz`,
                spawnedAt,
                {
                  timeoutMs: 30_000,
                  pollMs: 1,
                  exited: proc.exited,
                },
              );
              const rssReadyKiB = rssKiB(proc.child.pid!);
              const wrk = await runWrk(
                `http://127.0.0.1:${port}/api/v1/hello?name=bench`,
                {
                  seconds: options.wrkSeconds,
                },
              );
              const rssAfterKiB = rssKiB(proc.child.pid!);
              await terminate(proc);
              starts[variant].push({
                readyMs,
                rssReadyKiB,
                rssAfterKiB,
                requestsPerSecond: wrk.requestsPerSecond,
              });
            } finally {
              await kill();
              proc.keepTail();
            }
          }
        }
      },
    );
  } finally {
    await closeReceiver();
  }
  const med = (variant: Variant, key: keyof Start) =>
    median(starts[variant].map(s => s[key]));
  const range = (
    variant: Variant,
    key: keyof Start,
    fmt: (n: number) => string,
  ) => {
    const values = starts[variant].map(s => s[key]);
    return `${fmt(Math.min(...values))} – ${fmt(Math.max(...values))}`;
  };
  const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`;
  const row = (variant: Variant) => [
    variant === 'on'
      ? 'on (generated otel.env)'
      : 'off (OTEL_SDK_DISABLED=true)',
    `${ms(med(variant, 'readyMs'))} (${range(variant, 'readyMs', ms)})`,
    `${mib(med(variant, 'rssReadyKiB'))} (${range(
      variant,
      'rssReadyKiB',
      mib,
    )})`,
    `${mib(med(variant, 'rssAfterKiB'))} (${range(
      variant,
      'rssAfterKiB',
      mib,
    )})`,
  ];
  return {
    id: 'footprint',
    title: '4. Generated go-api footprint',
    tables: [
      {
        title: `4. go-api start→ready and resident memory, median of ${options.starts} starts (range in brackets)`,
        columns: [
          'Tracing',
          'Spawn → /readyz 200',
          'RSS when ready',
          `RSS after ${options.wrkSeconds} s of wrk -c16`,
        ],
        rows: [
          row('on'),
          row('off'),
          [
            '**on / off**',
            ratio(med('on', 'readyMs'), med('off', 'readyMs')),
            ratio(med('on', 'rssReadyKiB'), med('off', 'rssReadyKiB')),
            ratio(med('on', 'rssAfterKiB'), med('off', 'rssAfterKiB')),
          ],
        ],
        notes: [
          'Start→ready: from spawn() of the built binary until GET /readyz answers 200, polled every millisecond over loopback (the poll itself costs up to ~1 ms).',
          'RSS: VmRSS from /proc/<pid>/status right after readiness, and after the load run; starts alternate between the two variants.',
        ],
      },
    ],
    data: { starts },
    notes: [],
  };
}
