// The production shape: two backend replicas on one PostgreSQL server and one Redis cache (backend.cache), with
// the production config (permissions on, no example org). Template runs submitted at once across both replicas
// must all finish with distinct, complete repositories, each registered once; service-insights must answer the same
// from either replica.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import {
  startRedis,
  type RedisServer,
} from '@golden-path/test-utils/src/redisServer.ts';

const fixtures = join(import.meta.dirname, 'fixtures');
const dataDir = mkdtempSync(join(tmpdir(), 'gp-replicas-'));
const reposDir = join(dataDir, 'repos');
const secretsDir = join(dataDir, 'secrets');
const ENVIRONMENTS = ['dev', 'staging', 'prod'];
const secretValue = (name: string) => `token-of-${name}`;
const RUNS = 20;

/** The files git tracks in a published repository, sorted. */
const trackedFiles = (repo: string) =>
  execFileSync('git', ['-C', repo, 'ls-files'], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .sort();

describe('two replicas on one PostgreSQL and one Redis', () => {
  let postgres: PostgresServer;
  let redis: RedisServer;
  const replicas: RunningBackend[] = [];
  const tokens: string[] = [];

  before(async () => {
    postgres = await startPostgres();
    redis = await startRedis();
    // One deployment: both replicas share its environment, BACKEND_SECRET included.
    const env = productionEnv(postgres);
    const start = () =>
      startBackend({
        configFiles: productionConfigFiles,
        override: baseUrl => ({
          app: { baseUrl },
          backend: {
            cors: { origin: baseUrl },
            cache: { store: 'redis', connection: redis.url },
          },
          auth: proxySignInAuth,
          goldenPath: {
            publish: { local: { rootDirectory: reposDir } },
            // Both replicas seed into one store, as they would into one Vault.
            secrets: { provider: 'local', local: { directory: secretsDir } },
          },
          // A task whose replica stops sending heartbeats is reopened for the other replica after 5 s.
          // Each replica runs at most 5 tasks at once, so with more in flight both replicas hold some.
          scaffolder: {
            concurrentTasksLimit: 5,
            taskRecovery: { enabled: true, staleTimeout: { seconds: 5 } },
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
              {
                type: 'file',
                target: join(fixtures, 'publish-slow', 'template.yaml'),
                rules: [{ allow: ['Template'] }],
              },
            ],
          },
        }),
        env,
      });
    // The first replica creates the databases and runs the migrations; the second joins them.
    replicas.push(await start());
    replicas.push(await start());
    for (const replica of replicas) {
      const { baseUrl } = replica;
      tokens.push(
        await eventually(`sign-in on ${baseUrl}`, async () => {
          const res = await proxySignIn(baseUrl, 'alice');
          return res.ok
            ? (await res.json()).backstageIdentity.token
            : undefined;
        }),
      );
    }
    for (const template of ['publish-smoke', 'publish-slow']) {
      await eventually(`the ${template} template`, async () =>
        getJson(
          `${replicas[1].baseUrl}/api/catalog/entities/by-name/template/default/${template}`,
          tokens[1],
        ).catch(() => undefined),
      );
    }
  });
  after(async () => {
    for (const replica of replicas) await replica.stop();
    await redis?.stop();
    postgres?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(`finishes ${RUNS} template runs submitted at once across both replicas, each repository complete and registered once`, async () => {
    const names = Array.from(
      { length: RUNS },
      (_, i) => `replica-svc-${String(i).padStart(2, '0')}`,
    );
    const started = Date.now();
    const tasks = await Promise.all(
      names.map((name, i) =>
        runTask(
          replicas[i % 2].baseUrl,
          tokens[i % 2],
          'template:default/publish-smoke',
          { name, owner: 'group:default/team-platform' },
        ),
      ),
    );
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `${RUNS} runs across 2 replicas finished in ${seconds.toFixed(1)} s`,
    );
    for (const task of tasks) {
      assert.equal(task.status, 'completed', task.messages.join('\n'));
    }
    assert.equal(new Set(tasks.map(t => t.id)).size, RUNS);

    assert.deepEqual(readdirSync(reposDir).sort(), names);
    for (const name of names) {
      const repo = join(reposDir, name);
      const files = trackedFiles(repo);
      assert.deepEqual(files, ['README.md', 'catalog-info.yaml'], name);
      assert.match(
        readFileSync(join(repo, 'catalog-info.yaml'), 'utf8'),
        new RegExp(`name: ${name}\\n`),
      );
      assert.equal(
        execFileSync('git', ['-C', repo, 'status', '--porcelain'], {
          encoding: 'utf8',
        }),
        '',
        `${name} has uncommitted changes`,
      );
    }

    const locations: any[] = await getJson(
      `${replicas[0].baseUrl}/api/catalog/locations`,
      tokens[0],
    );
    for (const name of names) {
      const registered = locations.filter(l =>
        String(l.data.target).endsWith(`/${name}/catalog-info.yaml`),
      );
      assert.equal(
        registered.length,
        1,
        `${name}: ${registered.length} locations`,
      );
    }
    assert.equal(existsSync(join(dataDir, 'escaped')), false);
  });

  it('answers service-insights the same from either replica', async () => {
    const query = '/api/service-insights/services?pageSize=100';
    const views = await eventually(
      'all runs in service insights on both replicas',
      async () => {
        const both = await Promise.all(
          replicas.map((r, i) => getJson(`${r.baseUrl}${query}`, tokens[i])),
        );
        return both.every(v => v.totalItems >= RUNS) ? both : undefined;
      },
      90_000,
    );
    // Both answer from the insights stored in the shared PostgreSQL, refreshed by one replica at a time.
    assert.deepEqual(views[0], views[1]);
  });

  it('survives a replica killed (SIGKILL) in the middle of runs: each of its tasks starts over or fails cleanly, nothing twice or half-written', async () => {
    const names = Array.from(
      { length: RUNS },
      (_, i) => `crash-svc-${String(i).padStart(2, '0')}`,
    );
    const ids = await Promise.all(
      names.map(async (name, i) => {
        const res = await fetch(
          `${replicas[i % 2].baseUrl}/api/scaffolder/v2/tasks`,
          {
            method: 'POST',
            headers: {
              Authorization: `Bearer ${tokens[i % 2]}`,
              'Content-Type': 'application/json',
            },
            body: JSON.stringify({
              templateRef: 'template:default/publish-slow',
              values: { name, owner: 'group:default/team-platform' },
              secrets: { API_TOKEN: secretValue(name) },
            }),
          },
        );
        assert.equal(res.status, 201, await res.clone().text());
        return (await res.json()).id as string;
      }),
    );
    const survivor = replicas[0];
    // More than 5 tasks processing at once means the second replica holds some of them: kill it then.
    await eventually(
      'both replicas running tasks',
      async () => {
        const tasks = await Promise.all(
          ids.map(id =>
            getJson(
              `${survivor.baseUrl}/api/scaffolder/v2/tasks/${id}`,
              tokens[0],
            ),
          ),
        );
        return tasks.filter(t => t.status === 'processing').length > 5
          ? true
          : undefined;
      },
      60_000,
    );
    const killedAt = Date.now();
    await replicas[1].kill();

    const finished = await eventually(
      'every task finished on the surviving replica',
      async () => {
        const tasks = await Promise.all(
          ids.map(id =>
            getJson(
              `${survivor.baseUrl}/api/scaffolder/v2/tasks/${id}`,
              tokens[0],
            ),
          ),
        );
        return tasks.every(t => ['completed', 'failed'].includes(t.status))
          ? tasks
          : undefined;
      },
      120_000,
    );
    const seconds = (Date.now() - killedAt) / 1000;
    const recovered: string[] = [];
    for (const id of ids) {
      const events: any[] = await getJson(
        `${survivor.baseUrl}/api/scaffolder/v2/tasks/${id}/events`,
        tokens[0],
      );
      if (events.some(e => e.type === 'recovered')) recovered.push(id);
    }
    const statuses = finished.map(t => t.status);
    const count = (status: string) => statuses.filter(s => s === status).length;
    console.log(
      `${RUNS} runs, replica killed with tasks in flight: ${recovered.length} tasks recovered (started over on the survivor), ` +
        `${count('completed')} completed, ${count(
          'failed',
        )} failed; all finished ${seconds.toFixed(1)} s after the kill`,
    );
    assert.ok(
      recovered.length > 0,
      'no task was running on the killed replica',
    );

    const locations: any[] = await getJson(
      `${survivor.baseUrl}/api/catalog/locations`,
      tokens[0],
    );
    names.forEach((name, i) => {
      const repo = join(reposDir, name);
      const registered = locations.filter(l =>
        String(l.data.target).endsWith(`/${name}/catalog-info.yaml`),
      ).length;
      assert.ok(registered <= 1, `${name} registered ${registered} times`);
      if (finished[i].status === 'completed') {
        assert.equal(registered, 1, `${name} completed but is not registered`);
      }
      // Every repository that exists is complete and committed, whatever its task's outcome.
      if (finished[i].status === 'completed' || existsSync(repo)) {
        const files = trackedFiles(repo);
        assert.deepEqual(files, ['README.md', 'catalog-info.yaml'], name);
        assert.equal(
          execFileSync('git', ['-C', repo, 'status', '--porcelain'], {
            encoding: 'utf8',
          }),
          '',
          `${name} is half-written`,
        );
      }
      // The secret exists once per environment with the value the task was given, never empty or partial; a
      // task that started over found it there and did not write it again.
      for (const environment of ENVIRONMENTS) {
        const file = join(secretsDir, environment, name, 'API_TOKEN');
        if (finished[i].status === 'completed') {
          assert.equal(readFileSync(file, 'utf8'), secretValue(name), file);
        } else if (existsSync(file)) {
          assert.equal(readFileSync(file, 'utf8'), secretValue(name), file);
        }
      }
    });
  });
});
