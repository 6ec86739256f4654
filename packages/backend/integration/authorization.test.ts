// The production permission setup (app-config.production.yaml: permission.enabled, the role policy, catalog rules,
// no example org) on PostgreSQL, with real users signed in through the auth backend: oauth2-proxy sign-in, enabled
// only in this test's config override, resolves X-Forwarded-User to a User in the test org, exactly as GitHub
// sign-in resolves a login. alice is a platform admin (the committed mapping: team-platform), bob and dana are
// developers (team-payments, added here as an operator would), olga holds no role.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import {
  eventually,
  startBackend,
  type RunningBackend,
} from '@golden-path/test-utils/src/backendProcess.ts';
import {
  getJson,
  proxySignIn,
  runTask,
} from '@golden-path/test-utils/src/portalApi.ts';
import {
  productionConfigFiles,
  productionEnv,
  proxySignInAuth,
} from './lib/productionConfig.ts';
import {
  startPostgres,
  type PostgresServer,
} from '@golden-path/test-utils/src/postgresServer.ts';

const fixtures = join(import.meta.dirname, 'fixtures');
const dataDir = mkdtempSync(join(tmpdir(), 'gp-authz-'));
const reposDir = join(dataDir, 'repos');

const signIn = proxySignIn;

async function tokenOf(baseUrl: string, user: string): Promise<string> {
  const res = await signIn(baseUrl, user);
  if (!res.ok)
    throw new Error(`sign-in as ${user}: ${res.status} ${await res.text()}`);
  return (await res.json()).backstageIdentity.token;
}

function call(
  baseUrl: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Response> {
  return fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
}

describe('authorization in production: platform admin, developer, no role', () => {
  let postgres: PostgresServer;
  let backend: RunningBackend;
  const tokens: Record<string, string> = {};
  const mintUrl = pathToFileURL(
    join(reposDir, 'mallory-org', 'catalog-info.yaml'),
  ).toString();
  let aliceTask: string;
  let bobTask: string;

  before(async () => {
    // A "repository" under the publish root that declares a User in team-platform.
    mkdirSync(join(reposDir, 'mallory-org'), { recursive: true });
    copyFileSync(
      join(fixtures, 'auth-org', 'mint-identity.yaml'),
      join(reposDir, 'mallory-org', 'catalog-info.yaml'),
    );
    postgres = await startPostgres();
    backend = await startBackend({
      configFiles: productionConfigFiles,
      override: baseUrl => ({
        app: { baseUrl },
        backend: { cors: { origin: baseUrl } },
        auth: proxySignInAuth,
        goldenPath: {
          authorization: { developers: ['group:default/team-payments'] },
          publish: { local: { rootDirectory: reposDir } },
        },
        catalog: {
          locations: [
            {
              type: 'file',
              target: join(fixtures, 'auth-org', 'org.yaml'),
              rules: [{ allow: ['User', 'Group'] }],
            },
            {
              type: 'file',
              target: join(fixtures, 'publish-smoke', 'template.yaml'),
              rules: [{ allow: ['Template'] }],
            },
          ],
        },
      }),
      env: productionEnv(postgres),
    });
    // Sign-in needs the users in the catalog; the org file is ingested moments after start.
    const { baseUrl } = backend;
    for (const user of ['alice', 'bob', 'dana', 'olga']) {
      tokens[user] = await eventually(`sign-in as ${user}`, async () =>
        (await signIn(baseUrl, user)).ok ? tokenOf(baseUrl, user) : undefined,
      );
    }
    await eventually('the smoke template', async () =>
      (
        await call(
          backend.baseUrl,
          tokens.alice,
          'GET',
          '/api/catalog/entities/by-name/template/default/publish-smoke',
        )
      ).ok
        ? true
        : undefined,
    );
  });
  after(async () => {
    await backend?.stop();
    postgres?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lets a developer run a template: the repository is published and registered', async () => {
    const task = await runTask(
      backend.baseUrl,
      tokens.bob,
      'template:default/publish-smoke',
      { name: 'bob-service', owner: 'group:default/team-payments' },
    );
    assert.equal(task.status, 'completed', task.messages.join('\n'));
    bobTask = task.id;
    const entity = await eventually('bob-service in the catalog', () =>
      getJson(
        `${backend.baseUrl}/api/catalog/entities/by-name/component/default/bob-service`,
        tokens.bob,
      ).catch(() => undefined),
    );
    assert.equal(entity.spec.owner, 'group:default/team-payments');
  });

  it('does not let a developer register or unregister a location; the platform admin can', async () => {
    const register = { type: 'url', target: mintUrl };
    const denied = await call(
      backend.baseUrl,
      tokens.bob,
      'POST',
      '/api/catalog/locations',
      register,
    );
    assert.equal(denied.status, 403, await denied.text());

    const created = await call(
      backend.baseUrl,
      tokens.alice,
      'POST',
      '/api/catalog/locations',
      register,
    );
    const createdBody = await created.text();
    assert.equal(created.status, 201, createdBody);
    const { location } = JSON.parse(createdBody);

    const unregister = `/api/catalog/locations/${location.id}`;
    const cannot = await call(
      backend.baseUrl,
      tokens.bob,
      'DELETE',
      unregister,
    );
    assert.equal(cannot.status, 403, await cannot.text());
    const can = await call(backend.baseUrl, tokens.alice, 'DELETE', unregister);
    assert.equal(can.status, 204, await can.text());
  });

  it('does not mint an identity from a registered file: User and Group come from the org source only', async () => {
    // Even the admin's registration of a file declaring a User is refused by the catalog rules.
    const dryRun = await call(
      backend.baseUrl,
      tokens.alice,
      'POST',
      '/api/catalog/locations?dryRun=true',
      { type: 'url', target: mintUrl },
    );
    const text = await dryRun.text();
    assert.ok(
      dryRun.status === 400 && /is not of an allowed kind/.test(text),
      `${dryRun.status} ${text}`,
    );
    const signInAsMallory = await signIn(backend.baseUrl, 'mallory');
    assert.notEqual(signInAsMallory.status, 200);
  });

  it('gives a login named guest nothing: the production config loads no example org', async () => {
    const res = await signIn(backend.baseUrl, 'guest');
    assert.notEqual(res.status, 200, await res.text());
  });

  it("does not show a developer another user's task; the platform admin sees every task", async () => {
    const task = await runTask(
      backend.baseUrl,
      tokens.alice,
      'template:default/publish-smoke',
      { name: 'alice-service', owner: 'group:default/team-platform' },
    );
    assert.equal(task.status, 'completed', task.messages.join('\n'));
    aliceTask = task.id;

    const other = await call(
      backend.baseUrl,
      tokens.bob,
      'GET',
      `/api/scaffolder/v2/tasks/${aliceTask}`,
    );
    assert.ok([403, 404].includes(other.status), `status ${other.status}`);
    const events = await call(
      backend.baseUrl,
      tokens.bob,
      'GET',
      `/api/scaffolder/v2/tasks/${aliceTask}/events`,
    );
    assert.ok([403, 404].includes(events.status), `events ${events.status}`);
    const bobList = await getJson(
      `${backend.baseUrl}/api/scaffolder/v2/tasks`,
      tokens.bob,
    );
    assert.deepEqual(
      bobList.tasks.map((t: any) => t.id),
      [bobTask],
    );
    const danaList = await getJson(
      `${backend.baseUrl}/api/scaffolder/v2/tasks`,
      tokens.dana,
    );
    assert.deepEqual(danaList.tasks, []);

    const own = await call(
      backend.baseUrl,
      tokens.alice,
      'GET',
      `/api/scaffolder/v2/tasks/${bobTask}`,
    );
    assert.equal(own.status, 200);
  });

  it('lets only the platform admin dry-run templates', async () => {
    const body = {
      template: {
        apiVersion: 'scaffolder.backstage.io/v1beta3',
        kind: 'Template',
        metadata: { name: 'dry' },
        spec: {
          type: 'service',
          steps: [{ id: 'log', action: 'debug:log', input: { message: 'hi' } }],
        },
      },
      values: {},
      directoryContents: [],
    };
    const bob = await call(
      backend.baseUrl,
      tokens.bob,
      'POST',
      '/api/scaffolder/v2/dry-run',
      body,
    );
    assert.equal(bob.status, 403, await bob.text());
    const alice = await call(
      backend.baseUrl,
      tokens.alice,
      'POST',
      '/api/scaffolder/v2/dry-run',
      body,
    );
    assert.equal(alice.status, 200, await alice.text());
  });

  it('gives someone in no role nothing: no templates to run, an empty catalog and an empty dashboard', async () => {
    const run = await call(
      backend.baseUrl,
      tokens.olga,
      'POST',
      '/api/scaffolder/v2/tasks',
      {
        templateRef: 'template:default/publish-smoke',
        values: { name: 'olga-service', owner: 'group:default/team-outsiders' },
      },
    );
    assert.equal(run.status, 403, await run.text());
    const entities = await getJson(
      `${backend.baseUrl}/api/catalog/entities`,
      tokens.olga,
    );
    assert.deepEqual(entities, []);
    // service-insights reads the catalog with the caller's credentials, so the catalog read permission applies.
    const olgaView = await getJson(
      `${backend.baseUrl}/api/service-insights/services`,
      tokens.olga,
    );
    assert.equal(olgaView.totalItems, 0);
    // Bob sees his service once the insights refresh (every 30 s) has stored it; olga never does.
    await eventually(
      "bob's service in bob's service-insights view",
      async () => {
        const bobView = await getJson(
          `${backend.baseUrl}/api/service-insights/services`,
          tokens.bob,
        );
        return bobView.items.some(
          (s: any) =>
            s.name === 'bob-service' || s.entityRef?.includes('bob-service'),
        )
          ? true
          : undefined;
      },
      90_000,
    );
    const olgaAfter = await getJson(
      `${backend.baseUrl}/api/service-insights/services`,
      tokens.olga,
    );
    assert.equal(olgaAfter.totalItems, 0);
  });
});
