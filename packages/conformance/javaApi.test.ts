// java-api: Spring Boot 4.1 with the Maven wrapper; `./mvnw -B verify`, then the jar serving HTTP.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../test-utils/src/backendProcess.ts';
import { conformanceSuite, SPAN_KIND } from './lib/conformanceSuite.ts';
import { run, runTracedHttpRequest } from '../test-utils/src/processes.ts';

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
    return runTracedHttpRequest({
      command: 'java',
      args: ['-jar', join('target', jar)],
      cwd: repoDir,
      env,
      port: await freePort(),
      readyPath: '/actuator/health/readiness',
      requestPath: '/api/v1/hello?name=conformance',
      readyTimeoutMs: 120_000,
    });
  },
});
