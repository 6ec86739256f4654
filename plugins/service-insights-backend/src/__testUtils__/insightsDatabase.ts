import { DatabaseService } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { InMemoryCatalogClient } from '@backstage/catalog-client/testUtils';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { DEFAULT_GOLDEN_PATH_POLICY } from '@golden-path/common';
import knexFactory, { Knex } from 'knex';
import { refreshInsights } from '../database/refreshInsights';
import { migratedClient } from '../database/tables';

// The database side of the unit tests: a real, migrated SQLite database in memory, and a refresh from a catalog
// of given entities, as the plugin's scheduled task runs it.

/** An empty, migrated service-insights database: SQLite in memory. */
export function migratedSqlite(): Promise<Knex> {
  const database = {
    getClient: async () =>
      knexFactory({
        client: 'better-sqlite3',
        connection: ':memory:',
        useNullAsDefault: true,
      }),
  };
  return migratedClient(database as unknown as DatabaseService);
}

/** A catalog holding `entities`, each at version `etag` (what the refresh compares to skip unchanged ones). */
export function catalogOf(entities: Entity[], etag: string): CatalogService {
  return new InMemoryCatalogClient({
    entities: entities.map(e => ({ ...e, metadata: { ...e.metadata, etag } })),
  }) as unknown as CatalogService;
}

/** Refreshes `knex` under the default policy from a catalog of `entities` at version `etag`. */
export async function refreshFrom(
  knex: Knex,
  entities: Entity[],
  etag: string,
): Promise<void> {
  await refreshInsights({
    knex,
    catalog: catalogOf(entities, etag),
    credentials: mockCredentials.service(),
    policy: DEFAULT_GOLDEN_PATH_POLICY,
    logger: mockServices.logger.mock(),
  });
}
