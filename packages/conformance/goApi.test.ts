// go-api: Go 1.26 module; built and tested with the Go toolchain, run as a binary serving HTTP.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../test-utils/src/backendProcess.ts';
import { conformanceSuite, SPAN_KIND } from './lib/conformanceSuite.ts';
import { run, runTracedHttpRequest } from '../test-utils/src/processes.ts';

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
    return runTracedHttpRequest({
      command: binary,
      args: [],
      cwd: repoDir,
      env,
      port: await freePort(),
      readyPath: '/readyz',
      requestPath: '/api/v1/hello?name=conformance',
    });
  },
});
