// What examples/ declares, read from examples/*.yaml, so the integration tests can tell that the running catalog
// holds the example org.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import {
  exampleNames,
  exampleOrgEntities,
} from '../../../../plugins/golden-path-common/src/testUtils/exampleOrg.ts';

export const exampleGroups = exampleNames('Group');
export const exampleComponents = exampleNames('Component');
export const exampleSystems = exampleNames('System');
export const exampleUserCount = exampleNames('User').length;

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
  return exampleOrgEntities().every(example =>
    entities.some(
      e => e.kind === example.kind && e.metadata.name === example.metadata.name,
    ),
  );
}
