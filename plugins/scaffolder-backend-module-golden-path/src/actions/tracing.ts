import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { GOLDEN_PATH_ANNOTATIONS, GoldenPathPolicy } from '@golden-path/common';
import fs from 'fs-extra';
import { join, relative } from 'node:path';
import { annotateCatalogInfo } from '../workspace/catalogInfo';
import { upsertEnvFile } from '../workspace/envFile';
import { OTEL_ENV_FILE, OTEL_ENV_HEADER } from '../workspace/otelEnv';
import {
  readWorkspaceFile,
  writeWorkspaceFile,
} from '../workspace/workspaceFiles';
import { catalogInfoPathInput } from './catalogInfoPathInput';
import { checkComponentName } from '../inputChecks';
import { examples } from './tracing.examples';

export const LANGUAGES = ['go', 'java', 'node'] as const;
export type Language = (typeof LANGUAGES)[number];

const ASSETS = resolvePackagePath(
  '@golden-path/plugin-scaffolder-backend-module-golden-path',
  'assets/tracing',
);

/** Copies a language's bootstrap asset files into the workspace, skipping files the repository already has. */
async function copyAssets(
  language: Language,
  workspacePath: string,
): Promise<string[]> {
  const root = join(ASSETS, language);
  const entries = await fs.readdir(root, {
    recursive: true,
    withFileTypes: true,
  });
  const written: string[] = [];
  for (const entry of entries.filter(e => e.isFile())) {
    const path = relative(root, join(entry.parentPath, entry.name));
    const content = await fs.readFile(join(root, path), 'utf8');
    if (
      await writeWorkspaceFile(workspacePath, path, content, {
        onlyIfMissing: true,
      })
    ) {
      written.push(path);
    }
  }
  return written.sort();
}

async function requireFile(
  workspacePath: string,
  path: string,
  language: Language,
) {
  const text = await readWorkspaceFile(workspacePath, path);
  if (text === undefined) {
    throw new InputError(
      `language ${language} needs ${path} at the repository root; render the skeleton before golden-path:tracing`,
    );
  }
  return text;
}

const BOOTSTRAPS: Record<
  Language,
  (workspacePath: string) => Promise<string[]>
> = {
  // internal/telemetry: SDK setup from OTEL_* env, including OTEL_SDK_DISABLED, which the Go SDK ignores.
  go: async workspacePath => {
    await requireFile(workspacePath, 'go.mod', 'go');
    return copyAssets('go', workspacePath);
  },
  // Spring Boot 4.1's starter bootstraps the SDK and maps OTEL_* itself; a file of ours would fight it.
  java: async workspacePath => {
    const pom = await requireFile(workspacePath, 'pom.xml', 'java');
    if (
      !pom.includes(
        '<artifactId>spring-boot-starter-opentelemetry</artifactId>',
      )
    ) {
      throw new InputError(
        'language java: pom.xml must depend on org.springframework.boot:spring-boot-starter-opentelemetry (Spring Boot 4.1 configures tracing from OTEL_* with it)',
      );
    }
    return [];
  },
  // src/telemetry.ts, loaded with `node --import` before the application, and the span exporter it uses
  // (src/otlpTraceExport.ts: the SDK's transport, a faster encoder; it imports the two OTLP packages directly).
  node: async workspacePath => {
    const pkg = JSON.parse(
      await requireFile(workspacePath, 'package.json', 'node'),
    );
    const deps = { ...pkg.dependencies };
    const missing = [
      '@opentelemetry/sdk-node',
      '@opentelemetry/exporter-trace-otlp-proto',
      '@opentelemetry/exporter-metrics-otlp-proto',
      '@opentelemetry/otlp-exporter-base',
      '@opentelemetry/otlp-transformer',
    ].filter(d => !deps[d]);
    if (missing.length > 0) {
      throw new InputError(
        `language node: package.json must depend on ${missing
          .join(', ')
          .replace(/, ([^,]*)$/, ' and $1')}`,
      );
    }
    return copyAssets('node', workspacePath);
  },
};

/**
 * Wires OpenTelemetry tracing into a generated repository: the language's SDK bootstrap when the repository lacks
 * one, the OTEL_* settings that point it at the policy's collector with the policy's sampler, and the catalog
 * annotations that trace links are built from.
 *
 * @public
 */
export function createTracingAction(options: { policy: GoldenPathPolicy }) {
  const { policy } = options;
  return createTemplateAction({
    id: 'golden-path:tracing',
    description:
      'Adds OpenTelemetry tracing and metrics: the SDK bootstrap for the language (if missing), OTEL_* settings from the policy (endpoint, sampler, metric export interval) in deploy/base/otel.env, and trace annotations in catalog-info.yaml',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        language: z =>
          z.enum(LANGUAGES, {
            description: `Language of the repository: ${LANGUAGES.join(', ')}`,
          }),
        serviceName: z =>
          z.string({
            description:
              'OpenTelemetry service.name; use the component name so trace links find it',
          }),
        catalogInfoPath: catalogInfoPathInput,
      },
      output: {
        serviceName: z => z.string({ description: 'The service.name set' }),
        bootstrapFiles: z =>
          z.array(z.string(), {
            description:
              'Bootstrap files written (empty when the repository had them)',
          }),
      },
    },
    async handler(ctx) {
      const {
        language,
        serviceName,
        catalogInfoPath = 'catalog-info.yaml',
      } = ctx.input;
      if (!LANGUAGES.includes(language)) {
        throw new InputError(
          `Invalid language ${JSON.stringify(
            language,
          )}: it must be one of ${LANGUAGES.join(', ')}`,
        );
      }
      checkComponentName(serviceName, 'serviceName');

      const bootstrapFiles = await BOOTSTRAPS[language](ctx.workspacePath);
      await upsertEnvFile(
        ctx.workspacePath,
        OTEL_ENV_FILE,
        otelSettings(policy, serviceName),
        OTEL_ENV_HEADER,
      );
      const usesJaeger = policy.tracing.links.some(l => l.type === 'jaeger');
      await annotateCatalogInfo(ctx.workspacePath, catalogInfoPath, {
        annotations: {
          [GOLDEN_PATH_ANNOTATIONS.otelServiceName]: serviceName,
          ...(usesJaeger
            ? { [GOLDEN_PATH_ANNOTATIONS.jaegerService]: serviceName }
            : {}),
        },
      });

      ctx.logger.info(
        `Tracing wired for ${language} service ${serviceName}${
          bootstrapFiles.length ? `; wrote ${bootstrapFiles.join(', ')}` : ''
        }`,
      );
      ctx.output('serviceName', serviceName);
      ctx.output('bootstrapFiles', bootstrapFiles);
    },
  });
}

/** The standard OTEL_* variables every SDK (Go, Java/Spring Boot, Node) reads, for traces and metrics. */
export function otelSettings(
  policy: GoldenPathPolicy,
  serviceName: string,
): Record<string, string | undefined> {
  const { sampler, otlpEndpoint, metrics } = policy.tracing;
  return {
    OTEL_SERVICE_NAME: serviceName,
    OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_TRACES_SAMPLER: sampler.type,
    OTEL_TRACES_SAMPLER_ARG:
      'ratio' in sampler ? String(sampler.ratio) : undefined,
    OTEL_PROPAGATORS: 'tracecontext,baggage',
    // Metrics go to the same collector with the same resource (service name, cost tags) as the traces.
    OTEL_METRICS_EXPORTER: 'otlp',
    OTEL_METRIC_EXPORT_INTERVAL: String(metrics.exportIntervalSeconds * 1000),
  };
}
