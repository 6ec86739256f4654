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
} from './lib/backendProcess.ts';
import {
  exampleComponents,
  exampleGroups,
  exampleSystems,
  exampleUserCount,
  hasExampleOrg,
  namesOf,
} from './lib/exampleOrg.ts';
import { getJson, guestToken, listEntities, runTask } from './lib/portalApi.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'gp-sqlite-'));
const start = () =>
  startBackend({
    configFiles: [join(repoRoot, 'app-config.yaml')],
    // The dev config's own listen host: it signs anyone in as guest, so it must bind loopback only.
    keepConfiguredListenHost: true,
    override: () => ({
      backend: {
        database: {
          client: 'better-sqlite3',
          connection: { directory: join(dataDir, 'sqlite') },
        },
      },
      goldenPath: {
        publish: { local: { rootDirectory: join(dataDir, 'repos') } },
      },
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
