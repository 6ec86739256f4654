// Measures the service-insights refresh (src/database/refreshInsights.ts) on a seeded catalog: the first full
// computation, a refresh with nothing changed, after 1 % of the components changed, after one team was renamed, and
// a full recomputation of the same data, on SQLite (a file) and on PostgreSQL when its server binaries are
// installed. Prints one JSON object on the last line of stdout. Run by `yarn bench --only dashboard` (packages/bench),
// or by hand:
//
//   node --require @backstage/cli/config/nodeTransform.cjs \
//     plugins/service-insights-backend/scripts/bench-refresh.ts --components 10000 --groups 500
//
// The catalog here is @backstage/catalog-client's InMemoryCatalogClient holding the seeded entities (see
// benchCatalog), and the time spent waiting for it is reported apart (`catalogMs`), so `ownMs` is the refresh's own
// work (comparing etags, fetching what changed, summarising, writing); the real catalog's cost of serving the etag
// listing is measured by the bench against the running backend.
import { LoggerService } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { InMemoryCatalogClient } from '@backstage/catalog-client/testUtils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { DEFAULT_GOLDEN_PATH_POLICY } from '@golden-path/common';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import knexFactory, { Knex } from 'knex';
import { parseAllDocuments } from 'yaml';
// The repo's one throwaway-PostgreSQL helper, shared with the backend's integration tests.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { startPostgres } from '../../../packages/test-utils/src/postgresServer.ts';
import { refreshInsights } from '../src/database/refreshInsights';
import { migratedClient } from '../src/database/tables';

const { values: args } = parseArgs({
  options: {
    components: { type: 'string', default: '10000' },
    groups: { type: 'string', default: '500' },
    postgres: { type: 'boolean', default: true },
    // At 100,000 components SQLite's part alone takes far longer than PostgreSQL's: `--no-sqlite` skips it.
    sqlite: { type: 'boolean', default: true },
  },
  allowNegative: true,
});

const dir = mkdtempSync(join(tmpdir(), 'gp-bench-refresh-'));
const log = (line: string) => process.stderr.write(`${line}\n`);
const quietLogger: LoggerService = {
  error: log,
  warn: log,
  info: () => {},
  debug: () => {},
  child: () => quietLogger,
};

function seed(): Entity[] {
  const file = join(dir, 'catalog.yaml');
  execFileSync(
    process.execPath,
    [
      resolve(__dirname, 'seed-large-catalog.ts'),
      '--out',
      file,
      '--components',
      args.components!,
      '--groups',
      args.groups!,
    ],
    { stdio: 'ignore' },
  );
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map(doc => doc.toJSON() as Entity)
    .filter(Boolean)
    .map(withEtag);
}

/** As the catalog does: the etag changes whenever anything in the entity does. */
function withEtag(entity: Entity): Entity {
  const { etag: _old, ...metadata } = entity.metadata;
  const etag = createHash('sha1')
    .update(JSON.stringify({ ...entity, metadata }))
    .digest('hex');
  return { ...entity, metadata: { ...metadata, etag } };
}

/**
 * The catalog the refresh reads, answered by InMemoryCatalogClient, with the time spent in it counted apart.
 *
 * InMemoryCatalogClient filters its whole entity list again for every cursor page and builds a map of all entities for
 * every getEntitiesByRefs call, so paging through 111,000 entities alone takes over a minute (quadratic) and would
 * drown the refresh's own work. Here the listing is one unpaged query, handed to the refresh in the pages it asked
 * for, and each getEntitiesByRefs call is answered by a client holding just the requested entities: the same
 * projection and filter semantics, linear cost.
 */
function benchCatalog(entities: Entity[]) {
  const client = new InMemoryCatalogClient({ entities });
  const byRef = new Map(entities.map(e => [stringifyEntityRef(e), e]));
  const timing = { ms: 0 };
  const timed = async <T>(work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      timing.ms += performance.now() - started;
    }
  };
  const catalog: Pick<CatalogService, 'streamEntities' | 'getEntitiesByRefs'> =
    {
      async *streamEntities(request) {
        const { items } = await timed(() =>
          client.queryEntities({
            filter: request?.filter,
            fields: request?.fields,
          }),
        );
        const size = request?.pageSize ?? 500;
        for (let i = 0; i < items.length; i += size) {
          yield items.slice(i, i + size);
        }
      },
      getEntitiesByRefs: request =>
        timed(() =>
          new InMemoryCatalogClient({
            entities: request.entityRefs.flatMap(ref => byRef.get(ref) ?? []),
          }).getEntitiesByRefs(request),
        ),
    };
  return { catalog: catalog as CatalogService, timing };
}

async function measure(name: string, knex: Knex, original: Entity[]) {
  let entities = original;
  const run = async (full = false) => {
    const { catalog, timing } = benchCatalog(entities);
    const started = performance.now();
    const stats = await refreshInsights(
      {
        knex,
        catalog,
        credentials: mockCredentials.service(),
        policy: DEFAULT_GOLDEN_PATH_POLICY,
        logger: quietLogger,
      },
      { full },
    );
    const ms = performance.now() - started;
    const result = {
      ms,
      catalogMs: timing.ms,
      ownMs: ms - timing.ms,
      ...stats,
    };
    log(
      `${name}: ${result.fetched} fetched, ${result.recomputed} summarised${
        full ? ' (full)' : ''
      } in ${Math.round(result.ms)} ms (${Math.round(
        result.catalogMs,
      )} ms of it in the in-memory catalog; ${Object.entries(result.phases)
        .map(([phase, phaseMs]) => `${phase} ${phaseMs}`)
        .join(', ')} ms)`,
    );
    return result;
  };
  const components = entities.filter(e => e.kind === 'Component');
  log(`${name}: first full computation of ${components.length} components`);
  const first = await run();
  if (knex.client.config.client === 'pg') {
    // What autovacuum does soon after a bulk load anyway: done here, so that it does not run during (and slow down)
    // the refreshes measured next, which are meant to show a catalog in its steady state.
    await knex.raw('VACUUM ANALYZE');
  }
  const unchanged = await run();

  // 1 % of the components edited.
  const step = 100;
  const changedRefs = new Set(
    components.filter((_, i) => i % step === 0).map(e => stringifyEntityRef(e)),
  );
  entities = entities.map(e =>
    changedRefs.has(stringifyEntityRef(e))
      ? withEtag({
          ...e,
          metadata: {
            ...e.metadata,
            annotations: {
              ...e.metadata.annotations,
              'bench.golden-path.io/changed': 'yes',
            },
          },
        })
      : e,
  );
  const onePercent = await run();

  // One team renamed: every service in its subtree gets a new owner chain.
  const team = entities.find(
    e => e.kind === 'Group' && (e.spec as any)?.type === 'team',
  )!;
  entities = entities.map(e =>
    e === team
      ? withEtag({
          ...e,
          spec: {
            ...e.spec,
            profile: {
              ...(e.spec?.profile as object),
              displayName: 'Renamed team',
            },
          },
        })
      : e,
  );
  const teamRenamed = await run();
  const full = await run(true);
  return { first, unchanged, onePercent, teamRenamed, full };
}

async function main() {
  const entities = seed();
  const results: Record<string, unknown> = {
    entities: entities.length,
    components: entities.filter(e => e.kind === 'Component').length,
  };
  if (args.sqlite) {
    const sqliteFile = join(dir, 'insights.sqlite');
    const sqlite = await migratedClient({
      getClient: async () =>
        knexFactory({
          client: 'better-sqlite3',
          connection: { filename: sqliteFile },
          useNullAsDefault: true,
        }),
    } as any);
    results.sqlite = await measure('SQLite', sqlite, entities);
    await sqlite.destroy();
  }

  const pgCtl = ['/usr/local/bin/pg_ctl', '/usr/bin/pg_ctl'].some(existsSync);
  if (args.postgres && pgCtl) {
    // As the dashboard bench runs its PostgreSQL (packages/bench/lib/dashboard.ts): commits do not wait for the WAL
    // flush, which took seconds on the shared machine and would be most of what a small refresh measures.
    const server = await startPostgres({
      settings: { synchronous_commit: 'off' },
    });
    try {
      const pg = await migratedClient({
        getClient: async () =>
          knexFactory({
            client: 'pg',
            connection: { ...server, database: 'postgres' },
          }),
      } as any);
      results.postgres = await measure('PostgreSQL', pg, entities);
      await pg.destroy();
    } finally {
      server.stop();
    }
  }
  process.stdout.write(`${JSON.stringify(results)}\n`);
}

main()
  .catch(error => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exitCode = 1;
  })
  .finally(() => {
    rmSync(dir, { recursive: true, force: true });
    process.exit();
  });
