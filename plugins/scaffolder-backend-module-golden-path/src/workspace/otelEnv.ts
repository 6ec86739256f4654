import { DEPLOY_BASE_DIR } from './kustomization';

/**
 * The OTEL_* settings of a generated service, as a kustomize configMapGenerator source that the Deployment reads with
 * envFrom. The tracing action owns the exporter and sampler keys, the cost-tags action OTEL_RESOURCE_ATTRIBUTES.
 */
export const OTEL_ENV_FILE = `${DEPLOY_BASE_DIR}/otel.env`;
export const OTEL_ENV_HEADER =
  'OpenTelemetry settings of this service, from the golden-path policy.\nkustomize turns this file into the <name>-otel ConfigMap; the Deployment reads it with envFrom.';
