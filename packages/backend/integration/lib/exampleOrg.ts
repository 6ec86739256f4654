// What examples/ declares, so the integration tests can tell that the running catalog holds the example org.
export const exampleGroups = [
  'engineering',
  'team-payments',
  'team-platform',
  'team-search',
];
export const exampleComponents = [
  'checkout-worker',
  'developer-portal',
  'fraud-scorer',
  'indexer-worker',
  'ledger-api',
  'legacy-reports',
  'otel-collector',
  'payments-api',
  'recommendations-api',
  'search-api',
];
export const exampleSystems = ['checkout', 'discovery'];
export const exampleUserCount = 8;

type Entity = {
  kind: string;
  metadata: { name: string };
  spec?: Record<string, any>;
};

export function namesOf(entities: Entity[], kind: string): string[] {
  return entities
    .filter(e => e.kind === kind)
    .map(e => e.metadata.name)
    .sort();
}

/** True once the catalog has ingested everything in examples/. */
export function hasExampleOrg(entities: Entity[]): boolean {
  return (
    namesOf(entities, 'Component').filter(n => exampleComponents.includes(n))
      .length === exampleComponents.length &&
    namesOf(entities, 'Group').length >= exampleGroups.length &&
    namesOf(entities, 'User').length >= exampleUserCount &&
    namesOf(entities, 'System').length >= exampleSystems.length
  );
}
