import { mockCredentials } from '@backstage/backend-test-utils';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { startCatalogTestBackend } from './__testUtils__/catalogTestBackend';

// A benchmark, not part of the normal run: loads the seed script's catalog (10,000 components, 500 groups by
// default) into the real catalog and times the endpoints cold and warm.
//
//   SERVICE_INSIGHTS_BENCH=1 CI=true yarn test src/largeCatalog.bench.test.ts
//
// SERVICE_INSIGHTS_BENCH_COMPONENTS and SERVICE_INSIGHTS_BENCH_GROUPS change the size.

const run = process.env.SERVICE_INSIGHTS_BENCH ? describe : describe.skip;
const components = Number(
  process.env.SERVICE_INSIGHTS_BENCH_COMPONENTS ?? 10_000,
);
const groups = Number(process.env.SERVICE_INSIGHTS_BENCH_GROUPS ?? 500);

jest.setTimeout(30 * 60_000);

run('a large catalog', () => {
  it('answers fast once the view is cached', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'service-insights-bench-'));
    const out = join(dir, 'large-catalog.yaml');
    const summary = execFileSync(process.execPath, [
      resolve(__dirname, '../scripts/seed-large-catalog.ts'),
      '--out',
      out,
      '--components',
      String(components),
      '--groups',
      String(groups),
    ]).toString();
    const yaml = readFileSync(out, 'utf8');
    rmSync(dir, { recursive: true, force: true });
    const count = (yaml.match(/^---$/gm) ?? []).length;

    let started = Date.now();
    const { server } = await startCatalogTestBackend(
      { yaml, count },
      { timeoutMs: 25 * 60_000 },
    );
    const timings: string[] = [
      summary.trim(),
      `catalog processing: ${Date.now() - started} ms`,
    ];

    const time = async (label: string, path: string, user: string) => {
      started = Date.now();
      const res = await request(server)
        .get(`/api/service-insights${path}`)
        .set('Authorization', mockCredentials.user.header(user));
      expect(res.status).toBe(200);
      timings.push(
        `${label} ${path}: ${Date.now() - started} ms, ${
          res.text.length
        } bytes`,
      );
      return res;
    };

    const user = 'user:default/bench';
    const cold = await time('cold', '/services', user);
    expect(cold.body.totalItems).toBe(components);
    await time('warm', '/services', user);
    await time('warm', '/services?sort=costCenter&order=desc&page=7', user);
    await time('warm', '/services?compliance=noncompliant&q=api', user);
    await time('warm', '/rollups', user);
    await time('warm', '/filters', user);
    await time('warm', '/services/export.csv', user);
    await time('cold', '/rollups', 'user:default/bench-2');

    // eslint-disable-next-line no-console
    console.log(timings.join('\n'));
  });
});
