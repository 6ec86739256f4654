import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { InMemoryCatalogClient } from '@backstage/catalog-client/testUtils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DEFAULT_GOLDEN_PATH_POLICY,
  GoldenPathPolicy,
  ServiceInsight,
} from '@golden-path/common';
import knexFactory, { Knex } from 'knex';
import { existsSync } from 'node:fs';
// The repo's one throwaway-PostgreSQL helper lives with the backend's integration tests, which are not a package.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import {
  PostgresServer,
  startPostgres,
} from '../../../../packages/test-utils/src/postgresServer.ts';
import { exampleOrg } from '../__testUtils__/exampleOrg';
import { migratedSqlite } from '../__testUtils__/insightsDatabase';
import { refreshInsights } from './refreshInsights';
import { migratedClient } from './tables';

// The incremental refresh against real databases (SQLite in memory, and a throwaway PostgreSQL server when its
// binaries are installed, as ./scripts/test installs them): what is fetched and summarised again after each kind
// of catalog change, and that the stored insights then equal a full recomputation.

jest.setTimeout(60_000);

const hasPostgres = ['/usr/local/bin/pg_ctl', '/usr/bin/pg_ctl'].some(
  existsSync,
);

let postgres: PostgresServer | undefined;
afterAll(() => postgres?.stop());

const databases: Array<[string, () => Promise<Knex>]> = [
  [
    'SQLite',
    async () =>
      knexFactory({
        client: 'better-sqlite3',
        connection: ':memory:',
        useNullAsDefault: true,
      }),
  ],
];
if (hasPostgres) {
  databases.push([
    'PostgreSQL',
    async () => {
      postgres ??= await startPostgres();
      const admin = knexFactory({
        client: 'pg',
        connection: { ...postgres, database: 'postgres' },
      });
      const name = `insights_${Math.random().toString(36).slice(2, 10)}`;
      await admin.raw(`create database ${name}`);
      await admin.destroy();
      return knexFactory({
        client: 'pg',
        connection: { ...postgres, database: name },
      });
    },
  ]);
}

/** The example org as the catalog serves it: every entity with an etag. */
function versioned(entities: Entity[], etag = 'v1'): Entity[] {
  return entities.map(e => ({ ...e, metadata: { ...e.metadata, etag } }));
}

function edit(
  entities: Entity[],
  ref: string,
  change: (entity: Entity) => Entity,
): Entity[] {
  return entities.map(e => {
    if (stringifyEntityRef(e) !== ref) return e;
    const changed = change(structuredClone(e));
    return {
      ...changed,
      metadata: { ...changed.metadata, etag: `${e.metadata.etag}+` },
    };
  });
}

describe.each(databases)('refreshInsights on %s', (_name, connect) => {
  let knex: Knex;
  let entities: Entity[];
  let fetchedRefs: string[];

  beforeAll(async () => {
    knex = await migratedClient({ getClient: async () => connect() } as any);
  });
  afterAll(() => knex?.destroy());

  async function refresh(
    options: {
      full?: boolean;
      policy?: GoldenPathPolicy;
      /** Entities the catalog lists but no longer returns when they are fetched (deleted in between). */
      vanish?: string[];
    } = {},
  ) {
    const catalog = new InMemoryCatalogClient({ entities });
    const getByRefs = catalog.getEntitiesByRefs.bind(catalog);
    const byRefs = jest
      .spyOn(catalog, 'getEntitiesByRefs')
      .mockImplementation(async request => {
        const { items } = await getByRefs(request);
        return {
          items: items.map((item, i) =>
            options.vanish?.includes(request.entityRefs[i]) ? undefined : item,
          ),
        };
      });
    const stats = await refreshInsights(
      {
        knex,
        catalog: catalog as unknown as CatalogService,
        credentials: mockCredentials.service(),
        policy: options.policy ?? DEFAULT_GOLDEN_PATH_POLICY,
        logger: mockServices.logger.mock(),
      },
      { full: options.full },
    );
    fetchedRefs = byRefs.mock.calls.flatMap(([req]) => req.entityRefs);
    return stats;
  }

  async function stored(): Promise<Map<string, ServiceInsight>> {
    const rows = await knex('si_services').select('ref', 'insight');
    return new Map(rows.map(r => [r.ref, JSON.parse(r.insight)]));
  }

  /** The stored rows must equal what a full recomputation from scratch gives. */
  async function expectSameAsFull() {
    const incremental = await stored();
    const fullKnex = await migratedSqlite();
    await refreshInsights({
      knex: fullKnex,
      catalog: new InMemoryCatalogClient({
        entities,
      }) as unknown as CatalogService,
      credentials: mockCredentials.service(),
      policy: DEFAULT_GOLDEN_PATH_POLICY,
      logger: mockServices.logger.mock(),
    });
    const rows = await fullKnex('si_services').select('ref', 'insight');
    await fullKnex.destroy();
    expect(incremental).toEqual(
      new Map(rows.map(r => [r.ref, JSON.parse(r.insight)])),
    );
    const chains = await knex('si_owner_chain').count({ n: '*' });
    expect(Number(chains[0].n)).toBeGreaterThan(0);
  }

  it('stores every component on the first run', async () => {
    entities = versioned(exampleOrg);
    const stats = await refresh();
    const components = exampleOrg.filter(e => e.kind === 'Component').length;
    expect(stats).toMatchObject({
      full: true,
      deleted: 0,
      recomputed: components,
    });
    expect(stats.fetched).toBe(stats.listed);
    expect((await stored()).size).toBe(components);
  });

  it('fetches and summarises nothing when nothing changed', async () => {
    const stats = await refresh();
    expect(stats).toMatchObject({ full: false, fetched: 0, recomputed: 0 });
    expect(fetchedRefs).toEqual([]);
  });

  it('fetches an entity again that was listed but gone when it was fetched', async () => {
    const ref = 'component:default/ledger-api';
    entities = edit(entities, ref, e => e);
    const vanished = await refresh({ vanish: [ref] });
    expect(vanished).toMatchObject({ fetched: 0, deleted: 1 });
    // The catalog lists the same as before: this refresh must not take the listing as applied.
    await refresh();
    expect(fetchedRefs).toEqual([ref]);
    expect((await stored()).has(ref)).toBe(true);
  });

  it('compares every etag again when the stored entities are not what the last refresh left', async () => {
    await knex('si_entities')
      .where({ ref: 'group:default/team-platform' })
      .delete();
    await refresh();
    expect(fetchedRefs).toEqual(['group:default/team-platform']);
    await expectSameAsFull();
  });

  it('summarises a changed component alone', async () => {
    entities = edit(entities, 'component:default/ledger-api', e => {
      e.metadata.labels!['golden-path.io/cost-center'] = 'CC-1002';
      return e;
    });
    const stats = await refresh();
    expect(fetchedRefs).toEqual(['component:default/ledger-api']);
    expect(stats.recomputed).toBe(1);
    expect(
      (await stored()).get('component:default/ledger-api')!.compliance,
    ).toBe('compliant');
    await expectSameAsFull();
  });

  it('summarises again every service whose owner chain passes through a changed group', async () => {
    entities = edit(entities, 'group:default/team-payments', e => {
      (e.spec!.profile as any).displayName = 'Payments & Billing';
      return e;
    });
    const stats = await refresh();
    expect(fetchedRefs).toEqual(['group:default/team-payments']);
    // Its five services (payments-api, checkout-worker, ledger-api, fraud-scorer, vault-api) and the squad's
    // fraud-rules, whose parent it is.
    expect(stats.recomputed).toBe(6);
    expect(
      (await stored()).get('component:default/fraud-rules')!.owner.parents[0],
    ).toEqual({
      ref: 'group:default/team-payments',
      displayName: 'Payments & Billing',
    });
    await expectSameAsFull();
  });

  it('moves a team to another department and updates every chain below it', async () => {
    entities = [
      ...entities,
      ...versioned([
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Group',
          metadata: { name: 'finance' },
          spec: {
            type: 'department',
            profile: { displayName: 'Finance' },
            children: [],
          },
        },
      ]),
    ];
    entities = edit(entities, 'group:default/team-payments', e => {
      e.spec!.parent = 'finance';
      return e;
    });
    await refresh();
    const fraud = (await stored()).get('component:default/fraud-rules')!;
    expect(fraud.owner.parents.map(p => p.ref)).toEqual([
      'group:default/team-payments',
      'group:default/finance',
    ]);
    await expectSameAsFull();
  });

  it('resolves services once their missing owner is created', async () => {
    entities = [
      ...entities,
      ...versioned([
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Group',
          metadata: { name: 'team-legacy' },
          spec: {
            type: 'team',
            profile: { displayName: 'Legacy' },
            children: [],
          },
        },
      ]),
    ];
    const stats = await refresh();
    expect(fetchedRefs).toEqual(['group:default/team-legacy']);
    expect(stats.recomputed).toBe(1);
    expect(
      (await stored()).get('component:default/legacy-reports')!.owner,
    ).toMatchObject({ resolved: true, displayName: 'Legacy' });
    await expectSameAsFull();
  });

  it('updates the domain of every service of a changed system', async () => {
    entities = edit(entities, 'system:default/discovery', e => {
      e.spec!.domain = 'search';
      return e;
    });
    const stats = await refresh();
    expect(stats.recomputed).toBe(3);
    expect((await stored()).get('component:default/search-api')!.domain).toBe(
      'domain:default/search',
    );
    await expectSameAsFull();
  });

  it('removes deleted components and unresolves the services of a deleted group', async () => {
    entities = entities.filter(
      e =>
        !['component:default/csv-probe', 'group:default/team-search'].includes(
          stringifyEntityRef(e),
        ),
    );
    const stats = await refresh();
    expect(stats).toMatchObject({ fetched: 0, deleted: 2, recomputed: 3 });
    const rows = await stored();
    expect(rows.has('component:default/csv-probe')).toBe(false);
    expect(rows.get('component:default/search-api')!.owner).toEqual({
      ref: 'group:default/team-search',
      resolved: false,
      parents: [],
    });
    expect(
      await knex('si_search').where({ ref: 'component:default/csv-probe' }),
    ).toEqual([]);
    await expectSameAsFull();
  });

  it('summarises everything again when the policy changes', async () => {
    const policy: GoldenPathPolicy = {
      ...DEFAULT_GOLDEN_PATH_POLICY,
      costTags: {
        ...DEFAULT_GOLDEN_PATH_POLICY.costTags,
        tags: DEFAULT_GOLDEN_PATH_POLICY.costTags.tags.filter(
          t => t.name !== 'product',
        ),
      },
    };
    const stats = await refresh({ policy });
    // Every component left after csv-probe was deleted.
    expect(stats).toMatchObject({
      full: true,
      fetched: 0,
      recomputed: exampleOrg.filter(e => e.kind === 'Component').length - 1,
    });
    expect(
      (await stored())
        .get('component:default/recommendations-api')!
        .costTags.map(t => t.tag),
    ).not.toContain('product');
  });
});
