import { Entity } from '@backstage/catalog-model';

/**
 * The annotation and label keys the golden path reads and writes, in one place. Well-known keys of other tools
 * (Jaeger, Vault, Kubernetes, the scaffolder) are reused rather than copied under our own prefix; the rest live
 * under `golden-path.io/`. Cost-tag labels are not listed here: they come from the policy (`CostTagKeys`).
 */
export const GOLDEN_PATH_ANNOTATIONS = {
  /**
   * The OpenTelemetry `service.name` of a Component, the same value as its `OTEL_SERVICE_NAME`; trace links use
   * it. No Backstage convention exists for it, hence our prefix.
   */
  otelServiceName: 'golden-path.io/otel-service-name',
  /** The Jaeger service name, read by the community Jaeger plugin; a fallback for the service name. */
  jaegerService: 'jaegertracing.io/service',
  /** Where to reach the owners, on a Group or a Component (which overrides its owner's), e.g. `#payments-oncall`. */
  chatChannel: 'golden-path.io/chat-channel',
  /** The secrets a Component declares, as a comma-separated list of names, e.g. `DB_PASSWORD,STRIPE_API_KEY`. */
  secrets: 'golden-path.io/secrets',
  /** The External Secrets Operator store the secrets come from, as `<kind>/<name>`, e.g. `ClusterSecretStore/platform-secrets`. */
  secretStore: 'golden-path.io/secret-store',
  /** The secrets path pattern in force when the Component was generated, e.g. `{environment}/{component}/{key}`. */
  secretsPathPattern: 'golden-path.io/secrets-path-pattern',
  /** The Vault path of the Component's secrets, read by the community Vault plugin; set when the provider is vault. */
  vaultSecretsPath: 'vault.io/secrets-path',
  /** The template that generated the entity, e.g. `template:default/go-api`; `catalog:write` adds it. */
  sourceTemplate: 'backstage.io/source-template',
  /**
   * The version of that template, as written by the community annotator's `catalog:template:version` action.
   * Reused rather than adding a `golden-path.io/` twin: it is the existing community convention.
   */
  templateVersion: 'backstage.io/template-version',
  /** Ties the entity to its Kubernetes objects; set as annotation on the entity and as label on the objects. */
  kubernetesId: 'backstage.io/kubernetes-id',
  /** The environments the Component is deployed to, as a comma-separated list in promotion order, e.g. `dev,staging,prod`. */
  deployEnvironments: 'golden-path.io/deploy-environments',
} as const;

/**
 * The OpenTelemetry service name of an entity: the `golden-path.io/otel-service-name` annotation, else the
 * `jaegertracing.io/service` annotation, else undefined, meaning the entity has no tracing.
 */
export function entityServiceName(entity: Entity): string | undefined {
  return (
    annotation(entity, GOLDEN_PATH_ANNOTATIONS.otelServiceName) ??
    annotation(entity, GOLDEN_PATH_ANNOTATIONS.jaegerService)
  );
}

/** The secret names an entity declares in `golden-path.io/secrets`; empty when there are none. */
export function entitySecretNames(entity: Entity): string[] {
  return commaList(annotation(entity, GOLDEN_PATH_ANNOTATIONS.secrets));
}

/** The environments an entity declares in `golden-path.io/deploy-environments`; empty when there are none. */
export function entityDeployEnvironments(entity: Entity): string[] {
  return commaList(
    annotation(entity, GOLDEN_PATH_ANNOTATIONS.deployEnvironments),
  );
}

/** The trimmed annotation value, or undefined when it is absent or blank. */
function annotation(entity: Entity, key: string): string | undefined {
  const value = entity.metadata.annotations?.[key]?.trim();
  return value ? value : undefined;
}

function commaList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map(item => item.trim())
    .filter(item => item !== '');
}
