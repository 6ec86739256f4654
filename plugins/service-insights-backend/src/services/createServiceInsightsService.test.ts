import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { InMemoryCatalogClient } from '@backstage/catalog-client/testUtils';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  DEFAULT_GOLDEN_PATH_POLICY,
  SERVICE_SORT_FIELDS,
} from '@golden-path/common';
import knexFactory, { Knex } from 'knex';
import { existsSync } from 'node:fs';
// The repo's one throwaway-PostgreSQL helper lives with the backend's integration tests, which are not a package.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import {
  PostgresServer,
  startPostgres,
} from '../../../../packages/test-utils/src/postgresServer.ts';
import { SECRET_ANNOTATION, exampleOrg } from '../__testUtils__/exampleOrg';
import { refreshInsights } from '../database/refreshInsights';
import { migratedClient } from '../database/tables';
import { createServiceInsightsService } from './createServiceInsightsService';

// The queries are SQL: the same requests must give the same answers on PostgreSQL as on SQLite (whose answers
// plugin.test.ts and permissionParity.test.ts check against the real catalog), for an unconditional and a
// conditional caller.

jest.setTimeout(60_000);

const hasPostgres = ['/usr/local/bin/pg_ctl', '/usr/bin/pg_ctl'].some(
  existsSync,
);
let postgres: PostgresServer | undefined;
const clients: Knex[] = [];
afterAll(async () => {
  await Promise.all(clients.map(c => c.destroy()));
  postgres?.stop();
});

async function serviceOn(
  client: Knex,
  entities: Entity[],
  catalogEntities: Entity[] = entities,
) {
  clients.push(client);
  const knex = await migratedClient({ getClient: async () => client } as any);
  await refreshInsights({
    knex,
    catalog: new InMemoryCatalogClient({
      entities: entities.map(e => ({
        ...e,
        metadata: { ...e.metadata, etag: 'v1' },
      })),
    }) as unknown as CatalogService,
    credentials: mockCredentials.service(),
    policy: DEFAULT_GOLDEN_PATH_POLICY,
    logger: mockServices.logger.mock(),
  });
  const permissions = mockServices.permissions.mock();
  permissions.authorizeConditional.mockImplementation(
    async (_requests, { credentials }) => {
      const user = (credentials.principal as { userEntityRef?: string })
        .userEntityRef;
      return user === 'user:default/guest'
        ? [
            {
              result: AuthorizeResult.CONDITIONAL,
              pluginId: 'catalog',
              resourceType: 'catalog-entity',
              conditions: {
                not: {
                  rule: 'HAS_ANNOTATION',
                  resourceType: 'catalog-entity',
                  params: { annotation: SECRET_ANNOTATION },
                },
              },
            },
          ]
        : [{ result: AuthorizeResult.ALLOW }];
    },
  );
  return createServiceInsightsService({
    knex,
    catalog: new InMemoryCatalogClient({
      entities: catalogEntities,
    }) as unknown as CatalogService,
    permissions,
    policy: DEFAULT_GOLDEN_PATH_POLICY,
    logger: mockServices.logger.mock(),
  });
}

const callers = {
  admin: { credentials: mockCredentials.user('user:default/admin') },
  guest: { credentials: mockCredentials.user('user:default/guest') },
};

it('answers a component registered since the last refresh straight from the catalog', async () => {
  const newcomer = exampleOrg.find(e => e.metadata.name === 'payments-api')!;
  const stored = exampleOrg.filter(e => e !== newcomer);
  const sqlite = () =>
    knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
  const before = await serviceOn(sqlite(), stored, exampleOrg);
  const after = await serviceOn(sqlite(), exampleOrg);
  const ref = 'component:default/payments-api';
  expect(
    (
      await before.listServices(
        { page: 1, pageSize: 50, sort: 'name', order: 'asc' },
        callers.admin,
      )
    ).items.map(i => i.name),
  ).not.toContain('payments-api');
  expect(await before.getService(ref, callers.admin)).toEqual(
    await after.getService(ref, callers.admin),
  );
  await expect(
    before.getService('component:default/nothing-here', callers.admin),
  ).rejects.toThrow('No component component:default/nothing-here was found');
});

(hasPostgres ? describe : describe.skip)('on PostgreSQL', () => {
  it('answers the same as on SQLite', async () => {
    postgres = await startPostgres();
    const pg = knexFactory({
      client: 'pg',
      connection: { ...postgres, database: 'postgres' },
    });
    const sqlite = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    const services = await Promise.all([
      serviceOn(sqlite, exampleOrg),
      serviceOn(pg, exampleOrg),
    ]);
    const ask = (
      fn: (
        s: (typeof services)[number],
        caller: (typeof callers)['admin'],
      ) => Promise<unknown>,
    ) =>
      Promise.all(
        Object.values(callers).flatMap(caller =>
          services.map(s => fn(s, caller)),
        ),
      );
    const base = {
      page: 1,
      pageSize: 200,
      sort: 'name' as const,
      order: 'asc' as const,
    };
    const queries = [
      base,
      ...SERVICE_SORT_FIELDS.flatMap(sort => [
        { ...base, sort },
        { ...base, sort, order: 'desc' as const },
      ]),
      { ...base, team: 'group:default/engineering' },
      { ...base, q: 'payments api' },
      { ...base, compliance: ['noncompliant' as const], types: ['SERVICE'] },
      { ...base, costCenters: ['cc-1001'], environments: ['prod'] },
      { ...base, page: 2, pageSize: 4 },
    ];
    for (const query of queries) {
      const [adminSqlite, adminPg, guestSqlite, guestPg] = await ask((s, c) =>
        s.listServices(query, c),
      );
      expect(adminPg).toEqual(adminSqlite);
      expect(guestPg).toEqual(guestSqlite);
    }
    const [a1, a2, g1, g2] = await ask((s, c) => s.getRollups({}, c));
    expect(a2).toEqual(a1);
    expect(g2).toEqual(g1);
    const [f1, f2, f3, f4] = await ask((s, c) => s.getFilterOptions(c));
    expect(f2).toEqual(f1);
    expect(f4).toEqual(f3);
    const [c1, c2, c3, c4] = await ask((s, c) =>
      s.exportCsv({ sort: 'owner', order: 'asc' }, c),
    );
    expect(c2).toEqual(c1);
    expect(c4).toEqual(c3);
    expect(c3).not.toContain('vault-api');
  });
});
