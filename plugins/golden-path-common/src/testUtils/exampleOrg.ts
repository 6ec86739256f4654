// The example organisation of examples/*.yaml, read from those files (never retyped), for every suite that needs
// an org: unit tests, the service-insights backend and frontend tests and the backend's integration tests.
// Only `import type`, node builtins and `yaml`, so plain `node` (the integration tests, no bundler) can import this
// file directly as well as Jest can through `@golden-path/common/testUtils`.
import type { Entity } from '@backstage/catalog-model';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** The files of the example organisation, relative to the repository root. */
export const EXAMPLE_ORG_FILES = [
  'examples/org.yaml',
  'examples/components.yaml',
];

/** The repository root: the nearest folder above the working directory that holds examples/org.yaml. */
function repoRoot(): string {
  for (let dir = resolve(process.cwd()); ; dir = dirname(dir)) {
    if (existsSync(join(dir, EXAMPLE_ORG_FILES[0]))) return dir;
    if (dirname(dir) === dir) {
      throw new Error(
        `No ${
          EXAMPLE_ORG_FILES[0]
        } above ${process.cwd()}: run the tests inside the repository`,
      );
    }
  }
}

/** Every entity of examples/*.yaml, in file order; a fresh copy on each call, so tests may change it. */
export function exampleOrgEntities(): Entity[] {
  const root = repoRoot();
  return EXAMPLE_ORG_FILES.flatMap(file =>
    parseAllDocuments(readFileSync(join(root, file), 'utf8'))
      .map(doc => {
        if (doc.errors.length > 0) {
          throw new Error(`${file}: ${doc.errors[0].message}`);
        }
        return doc.toJS() as Entity | null;
      })
      .filter((entity): entity is Entity => entity !== null),
  );
}

/** One example entity by kind and name; throws when examples/*.yaml has no such entity. */
export function exampleEntity(kind: string, name: string): Entity {
  const found = exampleOrgEntities().find(
    e =>
      e.kind.toLocaleLowerCase('en-US') === kind.toLocaleLowerCase('en-US') &&
      e.metadata.name === name,
  );
  if (!found) {
    throw new Error(`examples/*.yaml has no ${kind} named ${name}`);
  }
  return found;
}

/** The names of the example entities of one kind, sorted. */
export function exampleNames(kind: string): string[] {
  return exampleOrgEntities()
    .filter(e => e.kind === kind)
    .map(e => e.metadata.name)
    .sort();
}
