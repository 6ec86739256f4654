import { Entity } from '@backstage/catalog-model';
import { entityServiceName } from './annotations';
import { GoldenPathPolicy } from './policy';
import { TraceLink, serviceTraceLinks } from './traceLinks';

/** The trace links of a catalog entity, and the service name they were built for. */
export interface EntityTraceLinks {
  /** Undefined when the entity declares no service name, i.e. has no tracing. */
  serviceName?: string;
  links: TraceLink[];
}

/**
 * Trace links for an entity from the policy's backends: its service name comes from its annotations (see
 * `entityServiceName`) and the environment attribute from the `environment` cost tag's OpenTelemetry key, so links
 * filter on the same attribute the services are tagged with.
 */
export function entityTraceLinks(
  policy: GoldenPathPolicy,
  entity: Entity,
  options: { environment?: string } = {},
): EntityTraceLinks {
  const serviceName = entityServiceName(entity);
  if (!serviceName) {
    return { links: [] };
  }
  const environmentTag = policy.costTags.tags.find(
    tag => tag.name === 'environment',
  );
  return {
    serviceName,
    links: serviceTraceLinks(policy.tracing.links, {
      serviceName,
      environment: options.environment,
      environmentAttribute: environmentTag?.keys.otelAttribute,
    }),
  };
}
