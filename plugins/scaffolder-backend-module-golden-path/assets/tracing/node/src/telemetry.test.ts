import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

/**
 * Runs a short program with src/telemetry.ts loaded as the worker loads it (`node --import`), exporting metrics as
 * OTLP JSON to a loopback collector, and returns what it printed and the names of the metrics that arrived.
 */
async function runWithTelemetry(env: Record<string, string>, program: string) {
  const bodies: string[] = [];
  const collector = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', chunk => (body += chunk));
    req.on('end', () => {
      if (req.url === '/v1/metrics') bodies.push(body);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  collector.listen(0, '127.0.0.1');
  await once(collector, 'listening');
  try {
    const { port } = collector.address() as AddressInfo;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', './src/telemetry.ts', '--input-type=module', '-e', program],
      {
        timeout: 30_000,
        env: {
          PATH: process.env.PATH ?? '',
          OTEL_SERVICE_NAME: 'telemetry-test',
          OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
          OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/json',
          OTEL_TRACES_EXPORTER: 'none',
          ...env,
        },
      },
    );
    const metrics = bodies.flatMap(body =>
      JSON.parse(body).resourceMetrics.flatMap((r: { scopeMetrics: { metrics: { name: string }[] }[] }) =>
        r.scopeMetrics.flatMap(s => s.metrics.map(m => m.name)),
      ),
    );
    return { stdout: stdout.trim(), metrics: new Set<string>(metrics) };
  } finally {
    collector.close();
  }
}

// Prints whether the runtime metrics are on, then idles long enough for the event loop delay monitor to take the
// samples it needs before it reports (5), and exits: the final export happens on exit.
const PROGRAM = `
import { runtimeMetrics } from './src/telemetry.ts';
console.log(runtimeMetrics.isEnabled());
await new Promise(resolve => setTimeout(resolve, 800));
`;

describe('telemetry bootstrap', () => {
  it('exports the Node.js runtime metrics when the SDK runs', async () => {
    const { stdout, metrics } = await runWithTelemetry({}, PROGRAM);
    assert.equal(stdout, 'true');
    for (const name of ['nodejs.eventloop.delay.p99', 'nodejs.eventloop.utilization', 'v8js.memory.heap.used']) {
      assert.ok(metrics.has(name), `${name} missing from ${[...metrics].join(', ')}`);
    }
  });

  it('runs no runtime monitor and exports nothing with OTEL_SDK_DISABLED=true', async () => {
    const { stdout, metrics } = await runWithTelemetry({ OTEL_SDK_DISABLED: 'true' }, PROGRAM);
    assert.equal(stdout, 'false');
    assert.equal(metrics.size, 0);
  });
});
