// node-worker: TypeScript on Node 22 with npm; built, tested and run by template-test from metadata.templateTest in
// its template.yaml (`npm ci && npm run build && npm test`, then the worker consuming one job from a real NATS
// JetStream server).
import { conformanceSuite } from './lib/conformanceSuite.ts';

conformanceSuite({
  template: 'node-worker',
  workload: 'worker',
  chaosTargets: ['otel-collector.observability', 'nats.nats'],
  languageFiles: [
    'package.json',
    'package-lock.json',
    'src/main.ts',
    'src/telemetry.ts',
    'src/otlpTraceExport.ts',
  ],
});
