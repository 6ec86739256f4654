// Tracing is wired: the entity names its OpenTelemetry service, and the OTEL_* settings the service starts with
// carry that name and the cost tags as resource attributes.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readEnvFile } from '../../../test-utils/src/processes.ts';
import { goldenPathCommon } from '../workspacePackages.ts';
import { goldenPathNotApplied, catalogEntity } from './goldenPath.ts';
import { fail, pass, type StaticCheck } from './types.ts';

const {
  costTagsOfEntity,
  GOLDEN_PATH_ANNOTATIONS,
  parseOtelResourceAttributes,
  projectCostTags,
} = goldenPathCommon;

export const OTEL_ENV = 'deploy/base/otel.env';

export const tracingCheck: StaticCheck = {
  id: 'tracing',
  rule: `tracing is wired: ${GOLDEN_PATH_ANNOTATIONS.otelServiceName} on the entity, and ${OTEL_ENV} exports under that service.name with the cost tags`,
  appliesTo: goldenPathNotApplied,
  run(ws) {
    const entity = catalogEntity(ws);
    const serviceName =
      entity?.metadata?.annotations?.[GOLDEN_PATH_ANNOTATIONS.otelServiceName];
    if (!serviceName) {
      return [
        fail(
          this,
          `metadata.annotations["${GOLDEN_PATH_ANNOTATIONS.otelServiceName}"] is not set`,
          'catalog-info.yaml',
        ),
      ];
    }
    if (!existsSync(join(ws.dir, OTEL_ENV))) {
      return [
        fail(
          this,
          `${OTEL_ENV} is missing: the service would start without OTEL_* settings`,
          OTEL_ENV,
        ),
      ];
    }
    const env = readEnvFile(join(ws.dir, OTEL_ENV));
    const results = [];
    if (env.OTEL_SERVICE_NAME !== serviceName) {
      results.push(
        fail(
          this,
          `OTEL_SERVICE_NAME is ${JSON.stringify(
            env.OTEL_SERVICE_NAME,
          )}, the entity says ${JSON.stringify(serviceName)}`,
          OTEL_ENV,
        ),
      );
    }
    if (!env.OTEL_EXPORTER_OTLP_ENDPOINT) {
      results.push(
        fail(this, 'OTEL_EXPORTER_OTLP_ENDPOINT is not set', OTEL_ENV),
      );
    }
    const attributes = parseOtelResourceAttributes(
      env.OTEL_RESOURCE_ATTRIBUTES ?? '',
    );
    const expected = projectCostTags(
      ws.policy,
      costTagsOfEntity(ws.policy, entity),
    ).otelResourceAttributes;
    for (const [key, value] of Object.entries(expected)) {
      if (attributes[key] !== value) {
        results.push(
          fail(
            this,
            `OTEL_RESOURCE_ATTRIBUTES ${key} is ${JSON.stringify(
              attributes[key],
            )}, the catalog says ${JSON.stringify(value)}`,
            OTEL_ENV,
          ),
        );
      }
    }
    return results.length ? results : [pass(this, OTEL_ENV)];
  },
};
