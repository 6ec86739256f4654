import {
  DEFAULT_GOLDEN_PATH_POLICY,
  readGoldenPathPolicy,
} from '@golden-path/common';
import { ConfigReader } from '@backstage/config';
import {
  COMPONENT_CATALOG_INFO,
  createWorkspaceFixture,
} from '../__testUtils__/actionFixture';
import { parseEnvFile } from '../workspace/envFile';
import { createTracingAction } from './tracing';
import { examples } from './tracing.examples';
import yaml from 'yaml';

describe('golden-path:tracing', () => {
  const ws = createWorkspaceFixture();
  const action = createTracingAction({ policy: DEFAULT_GOLDEN_PATH_POLICY });

  it('adds the Go bootstrap, the OTEL_* settings of the policy and the trace annotations', async () => {
    ws.reset({
      'go.mod': 'module example.com/payments-api\n',
      'catalog-info.yaml': COMPONENT_CATALOG_INFO,
    });
    const ctx = ws.context({ language: 'go', serviceName: 'payments-api' });
    await action.handler(ctx);

    expect(ws.read('internal/telemetry/telemetry.go')).toContain(
      'OTEL_SDK_DISABLED',
    );
    expect(parseEnvFile(ws.read('deploy/base/otel.env'))).toEqual({
      OTEL_SERVICE_NAME: 'payments-api',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector.observability:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.1',
      OTEL_PROPAGATORS: 'tracecontext,baggage',
      OTEL_METRICS_EXPORTER: 'otlp',
      OTEL_METRIC_EXPORT_INTERVAL: '60000',
    });
    const catalog = ws.yaml('catalog-info.yaml');
    expect(catalog.metadata.annotations).toEqual({
      'golden-path.io/otel-service-name': 'payments-api',
      'jaegertracing.io/service': 'payments-api',
    });
    expect(ws.read('catalog-info.yaml')).toContain(
      '# a comment that must survive our edits',
    );
    expect(ctx.output).toHaveBeenCalledWith('bootstrapFiles', [
      'internal/telemetry/batch.go',
      'internal/telemetry/batch_test.go',
      'internal/telemetry/export.go',
      'internal/telemetry/export_test.go',
      'internal/telemetry/telemetry.go',
      'internal/telemetry/telemetry_test.go',
    ]);
  });

  it('keeps a bootstrap the repository already has, and changes nothing when run again', async () => {
    ws.reset({
      'go.mod': 'module x\n',
      'catalog-info.yaml': COMPONENT_CATALOG_INFO,
      'internal/telemetry/telemetry.go': 'package telemetry // ours\n',
    });
    await action.handler(
      ws.context({ language: 'go', serviceName: 'payments-api' }),
    );
    const first = ws.snapshot();
    await action.handler(
      ws.context({ language: 'go', serviceName: 'payments-api' }),
    );
    expect(ws.snapshot()).toEqual(first);
    expect(first['internal/telemetry/telemetry.go']).toBe(
      'package telemetry // ours\n',
    );
  });

  it('uses the sampler, endpoint and metric export interval from app-config', async () => {
    const policy = readGoldenPathPolicy(
      new ConfigReader({
        goldenPath: {
          tracing: {
            otlpEndpoint: 'http://collector.internal:4318',
            sampler: { type: 'always_on' },
            metrics: { exportIntervalSeconds: 15 },
            links: [{ type: 'datadog', site: 'datadoghq.eu' }],
          },
        },
      }),
    );
    ws.reset({
      'go.mod': 'module x\n',
      'catalog-info.yaml': COMPONENT_CATALOG_INFO,
    });
    await createTracingAction({ policy }).handler(
      ws.context({ language: 'go', serviceName: 'payments-api' }),
    );
    const env = parseEnvFile(ws.read('deploy/base/otel.env'));
    expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe(
      'http://collector.internal:4318',
    );
    expect(env.OTEL_TRACES_SAMPLER).toBe('always_on');
    expect(env.OTEL_TRACES_SAMPLER_ARG).toBeUndefined();
    expect(env.OTEL_METRIC_EXPORT_INTERVAL).toBe('15000');
    expect(
      ws.yaml('catalog-info.yaml').metadata.annotations[
        'jaegertracing.io/service'
      ],
    ).toBeUndefined();
  });

  it('relies on the Spring Boot starter for Java and says which dependency is missing', async () => {
    ws.reset({
      'pom.xml': '<project></project>',
      'catalog-info.yaml': COMPONENT_CATALOG_INFO,
    });
    await expect(
      action.handler(
        ws.context({ language: 'java', serviceName: 'ledger-api' }),
      ),
    ).rejects.toThrow(
      'pom.xml must depend on org.springframework.boot:spring-boot-starter-opentelemetry',
    );
    ws.reset({
      'pom.xml':
        '<dependency><artifactId>spring-boot-starter-opentelemetry</artifactId></dependency>',
      'catalog-info.yaml': COMPONENT_CATALOG_INFO,
    });
    const ctx = ws.context({ language: 'java', serviceName: 'ledger-api' });
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('bootstrapFiles', []);
    expect(
      parseEnvFile(ws.read('deploy/base/otel.env')).OTEL_SERVICE_NAME,
    ).toBe('ledger-api');
  });

  it('writes the Node bootstrap when the SDK packages are declared', async () => {
    ws.reset({
      'package.json': '{"dependencies":{}}',
      'catalog-info.yaml': COMPONENT_CATALOG_INFO,
    });
    await expect(
      action.handler(ws.context({ language: 'node', serviceName: 'worker' })),
    ).rejects.toThrow(
      'package.json must depend on @opentelemetry/sdk-node, @opentelemetry/exporter-trace-otlp-proto, @opentelemetry/exporter-metrics-otlp-proto, @opentelemetry/otlp-exporter-base and @opentelemetry/otlp-transformer',
    );
    ws.reset({
      'package.json': JSON.stringify({
        dependencies: {
          '@opentelemetry/sdk-node': '*',
          '@opentelemetry/exporter-trace-otlp-proto': '*',
          '@opentelemetry/exporter-metrics-otlp-proto': '*',
          '@opentelemetry/otlp-exporter-base': '*',
          '@opentelemetry/otlp-transformer': '*',
        },
      }),
      'catalog-info.yaml': COMPONENT_CATALOG_INFO,
    });
    const ctx = ws.context({ language: 'node', serviceName: 'worker' });
    await action.handler(ctx);
    expect(ws.read('src/telemetry.ts')).toContain('new NodeSDK');
    expect(ctx.output).toHaveBeenCalledWith('bootstrapFiles', [
      'src/otlpTraceExport.test.ts',
      'src/otlpTraceExport.ts',
      'src/telemetry.test.ts',
      'src/telemetry.ts',
    ]);
  });

  it.each([
    [
      { language: 'cobol', serviceName: 'x' },
      'Invalid language "cobol": it must be one of go, java, node',
    ],
    [
      { language: 'go', serviceName: 'Payments API' },
      'Invalid serviceName "Payments API": it must be lowercase',
    ],
  ])('rejects %j', async (input, message) => {
    ws.reset({
      'go.mod': 'module x\n',
      'catalog-info.yaml': COMPONENT_CATALOG_INFO,
    });
    await expect(action.handler(ws.context(input))).rejects.toThrow(message);
    expect(ws.exists('deploy')).toBe(false);
  });

  it('explains that catalog-info.yaml must exist first', async () => {
    ws.reset({ 'go.mod': 'module x\n' });
    await expect(
      action.handler(ws.context({ language: 'go', serviceName: 'x' })),
    ).rejects.toThrow(
      'catalogInfoPath: catalog-info.yaml does not exist in the workspace',
    );
  });

  it.each(examples.map(e => [e.description, e] as const))(
    'example: %s',
    async (_, example) => {
      ws.reset({
        'go.mod': 'module x\n',
        'catalog-info.yaml': COMPONENT_CATALOG_INFO,
      });
      const { input } = yaml.parse(example.example).steps[0];
      await action.handler(
        ws.context({ ...input, serviceName: 'payments-api' }),
      );
      expect(ws.exists('internal/telemetry/telemetry.go')).toBe(true);
    },
  );
});
