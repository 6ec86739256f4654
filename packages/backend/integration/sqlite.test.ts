// The portal as a new user starts it: SQLite files, guest sign-in, the example org, local git publishing.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import {
  eventually,
  repoRoot,
  startBackend,
  type RunningBackend,
} from '@golden-path/test-utils/src/backendProcess.ts';
import {
  exampleComponents,
  exampleGroups,
  exampleSystems,
  exampleUserCount,
  hasExampleOrg,
  namesOf,
} from './lib/exampleOrg.ts';
import {
  getJson,
  guestToken,
  listEntities,
  runTask,
  TaskRejected,
} from '@golden-path/test-utils/src/portalApi.ts';
import { sampleServiceValues } from '@golden-path/test-utils/src/sampleValues.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'gp-sqlite-'));
const start = () =>
  startBackend({
    configFiles: [join(repoRoot, 'app-config.yaml')],
    // The dev config's own listen host: it signs anyone in as guest, so it must bind loopback only.
    keepConfiguredListenHost: true,
    stateDir: dataDir,
    override: () => ({
      goldenPath: {},
      catalog: {
        locations: [
          { type: 'file', target: join(repoRoot, 'examples/org.yaml') },
          { type: 'file', target: join(repoRoot, 'examples/components.yaml') },
          {
            type: 'file',
            target: join(
              import.meta.dirname,
              'fixtures/publish-smoke/template.yaml',
            ),
            rules: [{ allow: ['Template'] }],
          },
          {
            type: 'file',
            target: join(repoRoot, 'templates/go-api/template.yaml'),
            rules: [{ allow: ['Template'] }],
          },
        ],
      },
    }),
  });

describe('portal on SQLite with guest sign-in', () => {
  let backend: RunningBackend;
  let token: string;

  before(async () => {
    backend = await start();
    token = await guestToken(backend.baseUrl);
  });
  after(async () => {
    await backend?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('listens on loopback only, so guest sign-in is not offered to the network', async t => {
    const port = Number(new URL(backend.baseUrl).port);
    const external = Object.values(networkInterfaces())
      .flat()
      .find(a => a && !a.internal && a.family === 'IPv4')?.address;
    if (!external) {
      t.skip('this machine has no non-loopback IPv4 address to try');
      return;
    }
    const outcome = await new Promise<string>(done => {
      const socket = connect({ host: external, port });
      socket.once('connect', () => {
        socket.destroy();
        done('connected');
      });
      socket.once('error', (e: NodeJS.ErrnoException) =>
        done(e.code ?? 'error'),
      );
    });
    assert.equal(outcome, 'ECONNREFUSED', `${external}:${port} answered`);
    // The frontend dev server (started by ./scripts/start, too slow to boot here) reads app.listen.host.
    const devConfig = parseYaml(
      readFileSync(join(repoRoot, 'app-config.yaml'), 'utf8'),
    );
    assert.equal(devConfig.app.listen.host, '127.0.0.1');
  });

  it('refuses catalog reads without credentials', async () => {
    const res = await fetch(`${backend.baseUrl}/api/catalog/entities`);
    assert.equal(res.status, 401);
  });

  it('lists the example organisation to a guest', async () => {
    const entities = await eventually(
      'the example org in the catalog',
      async () => {
        const all = await listEntities(backend.baseUrl, token);
        return hasExampleOrg(all) ? all : undefined;
      },
    );
    assert.deepEqual(namesOf(entities, 'Group'), exampleGroups);
    assert.deepEqual(namesOf(entities, 'Component'), exampleComponents);
    assert.deepEqual(namesOf(entities, 'System'), exampleSystems);
    assert.equal(namesOf(entities, 'User').length, exampleUserCount);
    const department = entities.find(e => e.metadata.name === 'engineering');
    assert.deepEqual([...department.spec.children].sort(), [
      'team-payments',
      'team-platform',
      'team-search',
    ]);
  });

  it('publishes a scaffolded repository to local git and registers it in the catalog', async () => {
    const task = await runTask(
      backend.baseUrl,
      token,
      'template:default/publish-smoke',
      {
        name: 'smoke-service',
        owner: 'group:default/team-platform',
      },
    );
    assert.equal(task.status, 'completed', task.messages.join('\n'));

    const repo = join(dataDir, 'repos', 'smoke-service');
    const author = execFileSync(
      'git',
      ['-C', repo, 'log', '--format=%an <%ae>'],
      { encoding: 'utf8' },
    ).trim();
    assert.equal(author, 'Guest User <guest@example.com>');

    const entity = await eventually(
      'smoke-service in the catalog',
      async () => {
        const e = await getJson(
          `${backend.baseUrl}/api/catalog/entities/by-name/component/default/smoke-service`,
          token,
        ).catch(() => undefined);
        return e;
      },
    );
    assert.equal(entity.spec.owner, 'group:default/team-platform');
  });

  it('fails a second publish under the same name and keeps the first repository', async () => {
    const repo = join(dataDir, 'repos', 'smoke-service');
    const headBefore = execFileSync('git', ['-C', repo, 'rev-parse', 'HEAD'], {
      encoding: 'utf8',
    });
    const task = await runTask(
      backend.baseUrl,
      token,
      'template:default/publish-smoke',
      {
        name: 'smoke-service',
        owner: 'group:default/team-search',
      },
    );
    assert.equal(task.status, 'failed');
    assert.ok(
      task.messages.some(m =>
        m.includes('A repository named "smoke-service" already exists'),
      ),
      task.messages.join('\n'),
    );
    assert.equal(
      execFileSync('git', ['-C', repo, 'rev-parse', 'HEAD'], {
        encoding: 'utf8',
      }),
      headBefore,
    );
  });

  it('rejects a name with a path in it before anything is written', async () => {
    const task = await runTask(
      backend.baseUrl,
      token,
      'template:default/publish-smoke',
      {
        name: '../escaped',
        owner: 'group:default/team-platform',
      },
    );
    assert.equal(task.status, 'failed');
    assert.ok(
      task.messages.some(m => m.includes('Invalid repoName "../escaped"')),
      task.messages.join('\n'),
    );
    assert.equal(existsSync(join(dataDir, 'escaped')), false);
  });

  describe('a real template called through the HTTP API, as backstage-cli or a script would', () => {
    const required = {
      description: 'Created through the API',
      ...sampleServiceValues(),
    };
    const trackedFiles = (name: string) =>
      execFileSync('git', ['-C', join(dataDir, 'repos', name), 'ls-files'], {
        encoding: 'utf8',
      })
        .split('\n')
        .filter(Boolean)
        .sort();
    const catalogEntity = (name: string) =>
      eventually(`${name} in the catalog`, () =>
        getJson(
          `${backend.baseUrl}/api/catalog/entities/by-name/component/default/${name}`,
          token,
        ).catch(() => undefined),
      );

    it('publishes and registers with only the required values exactly as with the form defaults', async () => {
      await eventually('the go-api template in the catalog', () =>
        getJson(
          `${backend.baseUrl}/api/catalog/entities/by-name/template/default/go-api`,
          token,
        ).catch(() => undefined),
      );
      const api = await runTask(
        backend.baseUrl,
        token,
        'template:default/go-api',
        {
          name: 'api-minimal',
          ...required,
        },
      );
      assert.equal(api.status, 'completed', api.messages.join('\n'));
      // What the form sends: the same values plus the defaults it fills in.
      const form = await runTask(
        backend.baseUrl,
        token,
        'template:default/go-api',
        {
          name: 'api-form',
          ...required,
          lifecycle: 'experimental',
          secrets: [],
          secretValues: {},
          publishTarget: 'local',
          chaos: false,
        },
      );
      assert.equal(form.status, 'completed', form.messages.join('\n'));

      assert.deepEqual(trackedFiles('api-minimal'), trackedFiles('api-form'));
      assert.ok(
        trackedFiles('api-minimal').includes('deploy/base/kustomization.yaml'),
      );
      const [minimal, full] = await Promise.all([
        catalogEntity('api-minimal'),
        catalogEntity('api-form'),
      ]);
      assert.equal(minimal.spec.lifecycle, 'experimental');
      assert.deepEqual(minimal.spec, full.spec);
    });

    it('stores no secret when publishing fails, so nobody can pre-seed a path by a run that fails', async () => {
      // api-minimal exists already, so publishing fails; the secret values must not reach the store.
      const task = await runTask(
        backend.baseUrl,
        token,
        'template:default/go-api',
        { name: 'api-minimal', ...required, secrets: ['SQUAT_TOKEN'] },
        { SQUAT_TOKEN: 'squatted-value' },
      );
      assert.equal(task.status, 'failed');
      assert.ok(
        task.messages.some(m =>
          m.includes('A repository named "api-minimal" already exists'),
        ),
        task.messages.join('\n'),
      );
      for (const environment of ['dev', 'staging', 'prod']) {
        assert.equal(
          existsSync(
            join(dataDir, 'secrets', environment, 'api-minimal', 'SQUAT_TOKEN'),
          ),
          false,
        );
      }
    });

    it('refuses a publish target that would publish nothing, naming it, and creates no task', async () => {
      const tasksBefore = await getJson(
        `${backend.baseUrl}/api/scaffolder/v2/tasks`,
        token,
      );
      const rejected = await runTask(
        backend.baseUrl,
        token,
        'template:default/go-api',
        {
          name: 'api-nowhere',
          ...required,
          publishTarget: 'gitlab',
        },
      ).catch(error => error);
      assert.ok(rejected instanceof TaskRejected, String(rejected));
      assert.equal(rejected.status, 400);
      assert.match(rejected.body, /publishTarget/);
      assert.match(rejected.body, /enum/);
      const tasksAfter = await getJson(
        `${backend.baseUrl}/api/scaffolder/v2/tasks`,
        token,
      );
      assert.equal(tasksAfter.totalTasks, tasksBefore.totalTasks);
      assert.equal(existsSync(join(dataDir, 'repos', 'api-nowhere')), false);
    });
  });

  it('keeps the catalog and scaffolder tasks across a restart', async () => {
    const tasksBefore = await getJson(
      `${backend.baseUrl}/api/scaffolder/v2/tasks`,
      token,
    );
    await backend.stop();
    backend = await start();
    token = await guestToken(backend.baseUrl);
    const entity = await getJson(
      `${backend.baseUrl}/api/catalog/entities/by-name/component/default/smoke-service`,
      token,
    );
    assert.equal(entity.metadata.name, 'smoke-service');
    const tasksAfter = await getJson(
      `${backend.baseUrl}/api/scaffolder/v2/tasks`,
      token,
    );
    assert.equal(tasksAfter.totalTasks, tasksBefore.totalTasks);
  });
});
