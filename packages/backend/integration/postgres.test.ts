// app-config.production.yaml's database section against a real PostgreSQL server: the backend starts, creates a
// database per plugin, and the catalog serves the example org out of it.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import {
  eventually,
  repoRoot,
  startBackend,
  type RunningBackend,
} from '@golden-path/test-utils/src/backendProcess.ts';
import { exampleComponents, hasExampleOrg, namesOf } from './lib/exampleOrg.ts';
import { listEntities } from '@golden-path/test-utils/src/portalApi.ts';
import {
  productionConfigFiles,
  productionEnv,
} from './lib/productionConfig.ts';
import {
  startPostgres,
  type PostgresServer,
} from '@golden-path/test-utils/src/postgresServer.ts';

describe('portal on PostgreSQL with the production config', () => {
  let postgres: PostgresServer;
  let backend: RunningBackend;
  // Production has no guest sign-in; the test calls the API as an automation client with a static token.
  const automationToken = randomBytes(24).toString('base64url');

  before(async () => {
    postgres = await startPostgres();
    backend = await startBackend({
      configFiles: productionConfigFiles,
      override: baseUrl => ({
        app: { baseUrl },
        backend: {
          cors: { origin: baseUrl },
          auth: {
            externalAccess: [
              {
                type: 'static',
                options: {
                  token: automationToken,
                  subject: 'integration-test',
                },
              },
            ],
          },
        },
        // The production config loads no example org; this test brings it, as an operator brings their own.
        catalog: {
          locations: [
            {
              type: 'file',
              target: join(repoRoot, 'examples/org.yaml'),
              rules: [{ allow: ['User', 'Group'] }],
            },
            {
              type: 'file',
              target: join(repoRoot, 'examples/components.yaml'),
            },
          ],
        },
      }),
      env: productionEnv(postgres),
    });
  });
  after(async () => {
    await backend?.stop();
    postgres?.stop();
  });

  it('serves the example org from PostgreSQL', async () => {
    const entities = await eventually(
      'the example org in the catalog',
      async () => {
        const all = await listEntities(backend.baseUrl, automationToken);
        return hasExampleOrg(all) ? all : undefined;
      },
    );
    assert.deepEqual(namesOf(entities, 'Component'), exampleComponents);
  });

  it('keeps each plugin in its own PostgreSQL database', async () => {
    const client = new pg.Client({
      host: postgres.host,
      port: postgres.port,
      user: postgres.user,
      password: postgres.password,
      database: 'postgres',
    });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT datname FROM pg_database WHERE datname LIKE 'backstage_plugin_%' ORDER BY datname`,
      );
      const databases = rows.map(r => r.datname);
      for (const plugin of ['auth', 'catalog', 'scaffolder']) {
        assert.ok(
          databases.includes(`backstage_plugin_${plugin}`),
          `missing backstage_plugin_${plugin} in ${databases}`,
        );
      }
    } finally {
      await client.end();
    }
    const catalogDb = new pg.Client({
      host: postgres.host,
      port: postgres.port,
      user: postgres.user,
      password: postgres.password,
      database: 'backstage_plugin_catalog',
    });
    await catalogDb.connect();
    try {
      const { rows } = await catalogDb.query(
        `SELECT count(*)::int AS n FROM final_entities WHERE final_entity LIKE '%"kind":"Component"%'`,
      );
      assert.ok(
        rows[0].n >= exampleComponents.length,
        `only ${rows[0].n} components stored`,
      );
    } finally {
      await catalogDb.end();
    }
  });

  it('turns guest sign-in off', async () => {
    const res = await fetch(`${backend.baseUrl}/api/auth/guest/refresh`, {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    });
    assert.notEqual(res.status, 200);
  });

  it('refuses the catalog API without credentials', async () => {
    assert.equal(
      (await fetch(`${backend.baseUrl}/api/catalog/entities`)).status,
      401,
    );
  });
});
