// --build: runs what the template declares under metadata.templateTest in the rendered repository with the real
// toolchain: build and test commands, then the service itself with its generated OTEL_* settings pointed at a
// loopback OTLP receiver started here, one unit of work carrying a fresh trace context, and SIGTERM. The exported
// span must continue that trace and carry service.name and the cost-tag resource attributes.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOtlpReceiver } from '../../test-utils/src/otlpReceiver.ts';
import {
  startNatsServer,
  type NatsServer,
} from '../../test-utils/src/natsServer.ts';
import { freePort } from '../../test-utils/src/backendProcess.ts';
import {
  readEnvFile,
  run,
  startService,
  terminate,
  waitForHttp,
} from '../../test-utils/src/processes.ts';
import { goldenPathCommon } from './workspacePackages.ts';
import { catalogEntity } from './checks/goldenPath.ts';
import { OTEL_ENV } from './checks/tracing.ts';
import type { CheckResult, Workspace } from './checks/types.ts';
import { metricsProblem } from './metrics.ts';

/** What a template declares for --build, under `metadata.templateTest` in template.yaml. */
export type BuildSpec = {
  /** Shell commands run in order in the rendered repository, e.g. `go test ./...`. */
  build?: string[];
  /** The command that starts the service; `$PORT` is a free loopback port. */
  start?: string;
  /** Path answered with 200 once the service is ready, e.g. `/readyz`. */
  ready?: string;
  /** Seconds to wait for readiness (JVMs take a while). */
  readyTimeoutSeconds?: number;
  /** One traced unit of work: an HTTP GET path (sent with a traceparent header) or a command (given TRACEPARENT). */
  work?: { get?: string; command?: string; waitForLog?: string };
  /** Servers the service needs, started on loopback: `nats` (NATS_URL). */
  services?: Array<'nats'>;
  /** The OTLP span kind the unit of work must produce: server, consumer, ... */
  spanKind?: 'server' | 'consumer' | 'internal' | 'producer' | 'client';
  /** The histogram the unit of work must be counted in over OTLP metrics, e.g. `http.server.request.duration`. */
  metric?: string;
};

const SPAN_KINDS = {
  internal: 1,
  server: 2,
  client: 3,
  producer: 4,
  consumer: 5,
};
const BUILD_RULE = 'the build and test commands the template declares succeed';
const RUN_RULE =
  'the running service continues the incoming trace, exports it (and its declared duration metric) with service.name and the cost tags, and exits 0 on SIGTERM';

export function buildSpecOf(ws: Workspace): BuildSpec | undefined {
  return (ws.template.entity.metadata as any).templateTest;
}

export async function buildAndRun(
  ws: Workspace,
  progress: (line: string) => void = () => {},
): Promise<CheckResult[]> {
  const spec = buildSpecOf(ws);
  if (!spec) {
    return [
      {
        check: 'build',
        rule: BUILD_RULE,
        verdict: 'fail',
        file: 'template.yaml',
        message:
          'template.yaml declares no metadata.templateTest (build, start, ready, work): nothing to build',
      },
    ];
  }
  const results: CheckResult[] = [];
  for (const command of spec.build ?? []) {
    progress(`$ ${command}`);
    try {
      run('sh', ['-c', command], { cwd: ws.dir });
      results.push({
        check: 'build',
        rule: BUILD_RULE,
        verdict: 'pass',
        message: command,
      });
    } catch (error) {
      results.push({
        check: 'build',
        rule: BUILD_RULE,
        verdict: 'fail',
        message: (error as Error).message.slice(-4000),
      });
      return results;
    }
  }
  if (!spec.start) return results;
  results.push(await runTraced(ws, spec, progress));
  return results;
}

async function runTraced(
  ws: Workspace,
  spec: BuildSpec,
  progress: (line: string) => void,
): Promise<CheckResult> {
  const failed = (message: string): CheckResult => ({
    check: 'run',
    rule: RUN_RULE,
    verdict: 'fail',
    message,
  });
  const receiver = await startOtlpReceiver();
  let nats: NatsServer | undefined;
  try {
    if (spec.services?.includes('nats')) nats = await startNatsServer();
    const port = await freePort();
    // A local value for every declared secret, never one of the --secrets values: those must not reach the output.
    const secretsDir = mkdtempSync(join(tmpdir(), 'template-test-secrets-'));
    const localSecret = `local-only-${randomBytes(6).toString('hex')}`;
    const entity = catalogEntity(ws);
    for (const name of goldenPathCommon.entitySecretNames(
      entity ?? { metadata: {} },
    )) {
      writeFileSync(join(secretsDir, name), `${localSecret}\n`);
    }
    const env: Record<string, string> = {
      ...(existsSync(join(ws.dir, OTEL_ENV))
        ? readEnvFile(join(ws.dir, OTEL_ENV))
        : {}),
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      PORT: String(port),
      SECRETS_DIR: secretsDir,
      ...(nats ? { NATS_URL: nats.url } : {}),
    };
    progress(`$ ${spec.start}`);
    const service = startService(
      'sh',
      ['-c', `exec ${spec.start}`],
      ws.dir,
      env,
    );
    const traceId = randomBytes(16).toString('hex');
    const parentSpanId = randomBytes(8).toString('hex');
    const traceparent = `00-${traceId}-${parentSpanId}-01`;
    try {
      if (spec.ready)
        await waitForHttp(
          `http://127.0.0.1:${port}${spec.ready}`,
          (spec.readyTimeoutSeconds ?? 30) * 1000,
        );
      if (spec.work?.get) {
        const res = await fetch(`http://127.0.0.1:${port}${spec.work.get}`, {
          headers: { traceparent },
        });
        if (res.status !== 200)
          throw new Error(`GET ${spec.work.get} answered ${res.status}`);
      }
      if (spec.work?.command) {
        run('sh', ['-c', spec.work.command], {
          cwd: ws.dir,
          env: { ...process.env, ...env, TRACEPARENT: traceparent },
        });
      }
      if (spec.work?.waitForLog) {
        const pattern = new RegExp(spec.work.waitForLog);
        const deadline = Date.now() + 30_000;
        while (!pattern.test(service.output())) {
          if (Date.now() > deadline)
            throw new Error(`the service never logged ${pattern}`);
          await new Promise(r => setTimeout(r, 100));
        }
      }
    } catch (error) {
      await terminate(service);
      return failed(
        `${(error as Error).message}\n${service.output().slice(-3000)}`,
      );
    }
    const { code, ms } = await terminate(service);
    const output = service.output();
    if (code !== 0)
      return failed(
        `exited ${code} after SIGTERM (${ms} ms):\n${output.slice(-3000)}`,
      );
    // Kubernetes kills a pod 30 s after SIGTERM by default; a rollout needs a service that stops well before.
    if (ms > 10_000)
      return failed(`took ${ms} ms to stop after SIGTERM (at most 10000 ms)`);
    if (output.includes(localSecret))
      return failed('a secret value reached the service output');

    const kind = spec.spanKind ? SPAN_KINDS[spec.spanKind] : undefined;
    const deadline = Date.now() + 5_000;
    let span = receiver.spans.find(
      s => s.traceId === traceId && (kind === undefined || s.kind === kind),
    );
    while (!span && Date.now() < deadline) {
      await new Promise(r => setTimeout(r, 100));
      span = receiver.spans.find(
        s => s.traceId === traceId && (kind === undefined || s.kind === kind),
      );
    }
    if (!span) {
      return failed(
        `no span${
          spec.spanKind ? ` of kind ${spec.spanKind}` : ''
        } in trace ${traceId}; received ${JSON.stringify(
          receiver.spans.map(s => [s.traceId, s.kind, s.name]),
        )}`,
      );
    }
    if (span.parentSpanId !== parentSpanId) {
      return failed(
        `span ${span.name} has parent ${span.parentSpanId}, not the incoming span ${parentSpanId}: the trace context was not continued`,
      );
    }
    const serviceName =
      entity?.metadata?.annotations?.[
        goldenPathCommon.GOLDEN_PATH_ANNOTATIONS.otelServiceName
      ] ??
      env.OTEL_SERVICE_NAME ??
      entity?.metadata?.name;
    const expected: Record<string, string> = {
      'service.name': serviceName,
      ...(entity
        ? goldenPathCommon.projectCostTags(
            ws.policy,
            goldenPathCommon.costTagsOfEntity(ws.policy, entity),
          ).otelResourceAttributes
        : {}),
    };
    const wrong = Object.entries(expected).filter(
      ([k, v]) => span!.resource[k] !== v,
    );
    if (wrong.length) {
      return failed(
        `span ${span.name}: ${wrong
          .map(
            ([k, v]) =>
              `resource ${k} is ${JSON.stringify(
                span!.resource[k],
              )}, expected ${JSON.stringify(v)}`,
          )
          .join('; ')}`,
      );
    }
    // The service exported its metrics one last time when it stopped.
    const metricProblem = spec.metric
      ? metricsProblem(receiver.metrics, {
          durationMetric: spec.metric,
          resource: expected,
        })
      : undefined;
    if (metricProblem) return failed(metricProblem);
    return {
      check: 'run',
      rule: RUN_RULE,
      verdict: 'pass',
      message: `span ${span.name} in trace ${traceId}${
        spec.metric ? ` and ${spec.metric}` : ''
      }, exit 0 after ${ms} ms`,
    };
  } finally {
    receiver.close();
    await nats?.stop();
  }
}
