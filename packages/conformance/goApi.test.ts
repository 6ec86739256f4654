// go-api: Go 1.26 module; built, tested and run by template-test from metadata.templateTest in its template.yaml.
import { conformanceSuite } from './lib/conformanceSuite.ts';

conformanceSuite({
  template: 'go-api',
  workload: 'service',
  chaosTargets: ['otel-collector.observability'],
  languageFiles: [
    'go.mod',
    'go.sum',
    'cmd/server/main.go',
    'internal/telemetry/telemetry.go',
  ],
});
