// node-worker: TypeScript on Node 22 with npm; `npm ci && npm run build && npm test`, then the worker consuming a
// job from a real NATS JetStream server.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../backend/integration/lib/backendProcess.ts';
import { conformanceSuite, SPAN_KIND } from './lib/conformanceSuite.ts';
import { startNatsServer } from './lib/natsServer.ts';
import { run, startService, terminate, waitForHttp } from './lib/processes.ts';

// Publishes one job with a given traceparent, using the worker's own NATS client from its node_modules.
const PUBLISHER = `
import { connect, headers } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
const nc = await connect({ servers: process.env.NATS_URL });
const h = headers();
h.set('traceparent', process.env.TRACEPARENT);
await jetstream(nc).publish(process.env.SUBJECT, process.env.PAYLOAD, { headers: h });
await nc.drain();
`;

const job = {
  orderId: 'ORD-1',
  customerId: 'C-1',
  currency: 'EUR',
  lines: [{ sku: 'book', quantity: 2, unitPriceCents: 1250 }],
};

async function eventuallyLogged(
  output: () => string,
  pattern: RegExp,
  timeoutMs = 30_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(output())) {
    if (Date.now() > deadline)
      throw new Error(
        `the worker never logged ${pattern}:\n${output().slice(-3000)}`,
      );
    await new Promise(r => setTimeout(r, 100));
  }
}

conformanceSuite({
  template: 'node-worker',
  workload: 'worker',
  chaosTargets: ['otel-collector.observability', 'nats.nats'],
  languageFiles: [
    'package.json',
    'package-lock.json',
    'src/main.ts',
    'src/telemetry.ts',
  ],
  expectedSpanKind: SPAN_KIND.CONSUMER,
  durationMetric: 'messaging.process.duration',
  buildAndTest(repoDir) {
    run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: repoDir });
    run('npm', ['run', 'build'], { cwd: repoDir });
    run('npm', ['test'], { cwd: repoDir });
  },
  async runTraced(repoDir, env) {
    const nats = await startNatsServer();
    try {
      const port = await freePort();
      const name = repoDir.split('/').pop()!;
      const worker = startService(
        process.execPath,
        // As the generated Dockerfile's CMD runs it.
        [
          '--experimental-async-context-frame',
          '--import',
          './dist/telemetry.js',
          'dist/main.js',
        ],
        repoDir,
        {
          ...env,
          NATS_URL: nats.url,
          PORT: String(port),
          MAX_DELIVER: '2',
          RETRY_BASE_DELAY_MS: '100',
        },
      );
      await waitForHttp(`http://127.0.0.1:${port}/readyz`);
      const traceId = randomBytes(16).toString('hex');
      const parentSpanId = randomBytes(8).toString('hex');
      writeFileSync(join(repoDir, 'conformance-publish.mjs'), PUBLISHER);
      run(process.execPath, ['conformance-publish.mjs'], {
        cwd: repoDir,
        env: {
          ...process.env,
          NATS_URL: nats.url,
          SUBJECT: `${name}.jobs`,
          TRACEPARENT: `00-${traceId}-${parentSpanId}-01`,
          PAYLOAD: JSON.stringify(job),
        },
      });
      await eventuallyLogged(worker.output, /invoice created/);
      const { code, ms } = await terminate(worker);
      return {
        traceId,
        parentSpanId,
        exitCode: code,
        shutdownMs: ms,
        output: worker.output(),
      };
    } finally {
      await nats.stop();
    }
  },
});
