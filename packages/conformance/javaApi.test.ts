// java-api: Spring Boot 4.1 with the Maven wrapper; `./mvnw -B verify`, then the jar serving HTTP.
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../backend/integration/lib/backendProcess.ts';
import { conformanceSuite, SPAN_KIND } from './lib/conformanceSuite.ts';
import { run, startService, terminate, waitForHttp } from './lib/processes.ts';

conformanceSuite({
  template: 'java-api',
  workload: 'service',
  languageFiles: ['pom.xml', 'mvnw', '.mvn/wrapper/maven-wrapper.properties'],
  expectedSpanKind: SPAN_KIND.SERVER,
  buildAndTest(repoDir) {
    run('./mvnw', ['-B', '-q', 'verify'], { cwd: repoDir });
  },
  async runTraced(repoDir, env) {
    const jar = readdirSync(join(repoDir, 'target')).find(
      f => f.endsWith('.jar') && !f.endsWith('-plain.jar'),
    )!;
    const port = await freePort();
    const service = startService(
      'java',
      ['-jar', join('target', jar)],
      repoDir,
      { ...env, PORT: String(port) },
    );
    await waitForHttp(
      `http://127.0.0.1:${port}/actuator/health/readiness`,
      120_000,
    );
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
