// go-api: Go 1.26 module; built and tested with the Go toolchain, run as a binary serving HTTP.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../backend/integration/lib/backendProcess.ts';
import { conformanceSuite, SPAN_KIND } from './lib/conformanceSuite.ts';
import { run, startService, terminate, waitForHttp } from './lib/processes.ts';

const binary = join(mkdtempSync(join(tmpdir(), 'gp-go-bin-')), 'server');

conformanceSuite({
  template: 'go-api',
  workload: 'service',
  languageFiles: [
    'go.mod',
    'go.sum',
    'cmd/server/main.go',
    'internal/telemetry/telemetry.go',
  ],
  expectedSpanKind: SPAN_KIND.SERVER,
  buildAndTest(repoDir) {
    run('go', ['vet', './...'], { cwd: repoDir });
    run('go', ['test', './...'], { cwd: repoDir });
    run('go', ['build', '-o', binary, './cmd/server'], { cwd: repoDir });
  },
  async runTraced(repoDir, env) {
    const port = await freePort();
    const service = startService(binary, [], repoDir, {
      ...env,
      PORT: String(port),
    });
    await waitForHttp(`http://127.0.0.1:${port}/readyz`);
    const traceId = randomBytes(16).toString('hex');
    const parentSpanId = randomBytes(8).toString('hex');
    const res = await fetch(
      `http://127.0.0.1:${port}/api/v1/hello?name=conformance`,
      {
        headers: { traceparent: `00-${traceId}-${parentSpanId}-01` },
      },
    );
    if (res.status !== 200) throw new Error(`hello answered ${res.status}`);
    const { code, ms } = await terminate(service);
    return {
      traceId,
      parentSpanId,
      exitCode: code,
      shutdownMs: ms,
      output: service.output(),
    };
  },
});
