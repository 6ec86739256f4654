// No imports on purpose: the bench (plain `node`, no bundler) imports this file directly to request the same
// projection from the catalog that the service-insights backend uses.

/**
 * What the insights are computed from, as catalog field projections (`fields=`): only what `summarizeService` and
 * the filters read, so 10,000 components travel as a few MB and the catalog skips relations, status and the rest.
 */
export const SERVICE_COMPONENT_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.description',
  'metadata.labels',
  'metadata.annotations',
  'spec.type',
  'spec.lifecycle',
  'spec.owner',
  'spec.system',
] as const;

/** What is read of an owner (Group or User) and of each group in its parent chain. */
export const SERVICE_OWNER_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.annotations',
  'spec.type',
  'spec.parent',
  'spec.profile',
] as const;

/** What is read of a service's System. */
export const SERVICE_SYSTEM_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'spec.domain',
] as const;
