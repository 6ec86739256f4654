// Section "dashboard": the platform dashboard and its aggregation API on a 10,000-component catalog, against
// Backstage's own catalog page and catalog API on the same backend and data.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import YAML from 'yaml';
// A dependency-free file of @golden-path/common: plain node imports it without the package's build.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { SERVICE_COMPONENT_FIELDS } from '../../../plugins/golden-path-common/src/serviceInsightsFields.ts';
import { repoRoot, startBackend } from '../../test-utils/src/backendProcess.ts';
import {
  startPostgres,
  type PostgresServer,
} from '../../test-utils/src/postgresServer.ts';
import { run } from '../../test-utils/src/processes.ts';
import { holdBenchLock } from './lock.ts';
import {
  bytes,
  median,
  ms,
  num,
  ratio,
  summarize,
  type SectionResult,
  type Summary,
  type Table,
} from './report.ts';
import {
  CHROMIUM,
  log,
  onCleanup,
  sleep,
  tempDir,
  type Timings,
} from './system.ts';

export type DashboardOptions = {
  components: number;
  groups: number;
  /** The backend's database: SQLite in memory, or a throwaway PostgreSQL server (what a 100k run should use). */
  database: 'sqlite' | 'postgres';
  /** Held (flock) while measuring, not while seeding and ingesting: `yarn bench --lock /tmp/gp-bench.lock`. */
  lockFile?: string;
  artifactsDir: string;
  timings: Timings;
  /** Measured browser runs per page. */
  browserRuns: number;
  /** Requests per API measurement (cold = first-time callers, warm = one returning caller). */
  coldRequests: number;
  warmRequests: number;
  fullCatalogRequests: number;
  projectedCatalogRequests: number;
};

/**
 * Commits do not wait for the WAL flush. On this shared machine a flush took 1–3 s under the other workloads' I/O,
 * which held the catalog's ingestion at about 0.5 entities a second (28 with this setting); a crash can lose the last commits of a throwaway
 * server, never corrupt it. A production server's flush takes about a millisecond.
 */
export const BENCH_POSTGRES_SETTINGS = { synchronous_commit: 'off' };

/** Distinct principals that open the dashboard before the backend's memory is read again. */
const MEMORY_USERS = 50;

/** A row of the main table that links to a component: never a loading or "no results" row, nor a roll-up row. */
const FIRST_ROW = 'table tbody tr a[href*="/component/"]';

/**
 * The app shell alone: the app's own "page not found" page (sidebar, layout, a static error page) fetches nothing,
 * so the time to its "go back" link is what booting the app costs before any plugin asks a backend for data.
 */
const SHELL_PATH = '/bench-app-shell-only';
const SHELL_READY = '[data-testid="go-back-link"]';

/** The fields the service-insights backend itself projects Components to (the request contract's projection). */
const INSIGHTS_FIELDS = SERVICE_COMPONENT_FIELDS.join(',');

// ---------------------------------------------------------------------------------------------------------------
// Frontend build

function newestSource(path: string): number {
  let newest = 0;
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (['node_modules', 'dist', 'dist-types'].includes(entry.name)) continue;
    if (/\.test\.tsx?$/.test(entry.name)) continue;
    newest = Math.max(newest, newestSource(join(path, entry.name)));
  }
  return newest;
}

/** Sources that end up in packages/app/dist: the app itself and every plugin (frontend or shared). */
function frontendSourcesMtime(): number {
  const roots = [
    join(repoRoot, 'packages/app/src'),
    join(repoRoot, 'packages/app/public'),
    join(repoRoot, 'packages/app/package.json'),
  ];
  for (const plugin of readdirSync(join(repoRoot, 'plugins'))) {
    roots.push(join(repoRoot, 'plugins', plugin, 'src'));
    roots.push(join(repoRoot, 'plugins', plugin, 'package.json'));
  }
  return Math.max(...roots.map(newestSource));
}

/** Builds packages/app once when dist is missing or older than its sources; returns what it did. */
export async function ensureAppBuild(timings: Timings): Promise<string> {
  const index = join(repoRoot, 'packages/app/dist/index.html');
  const built = statSync(index, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const sources = frontendSourcesMtime();
  if (built > sources) {
    return 'packages/app/dist is newer than its sources: not rebuilt';
  }
  const reason = built ? 'older than its sources' : 'missing';
  const started = performance.now();
  await timings.time(`dashboard: build the frontend (dist ${reason})`, () =>
    // What `yarn workspace app build` runs, without needing yarn on PATH.
    run(
      join(repoRoot, 'node_modules/.bin/backstage-cli'),
      ['package', 'build'],
      {
        cwd: join(repoRoot, 'packages/app'),
      },
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const changedMeanwhile = frontendSourcesMtime() > sources;
  return `packages/app/dist was ${reason}: built it in ${seconds.toFixed(0)} s${
    changedMeanwhile
      ? ' (sources changed during the build: the next run rebuilds)'
      : ''
  }`;
}

// ---------------------------------------------------------------------------------------------------------------
// Backend config

/** Where the app mounts the catalog index page (app-config.yaml moves it to `/`). */
function catalogPath(): string {
  const config = YAML.parse(
    readFileSync(join(repoRoot, 'app-config.yaml'), 'utf8'),
  );
  for (const entry of config?.app?.extensions ?? []) {
    const page = entry?.['page:catalog'];
    if (page?.config?.path) return page.config.path;
  }
  return '/catalog';
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP measurements

type Timed = { ms: number; bytes: number };

async function timedGet(url: string, token: string): Promise<Timed> {
  const started = performance.now();
  const res = await fetch(url, {
    headers: { Authorization: `Bearer ${token}` },
  });
  const body = await res.arrayBuffer();
  const elapsed = performance.now() - started;
  if (!res.ok) {
    throw new Error(
      `GET ${url}: ${res.status} ${Buffer.from(body)
        .toString('utf8')
        .slice(0, 500)}`,
    );
  }
  return { ms: elapsed, bytes: body.byteLength };
}

async function repeat(
  n: number,
  fn: (i: number) => Promise<Timed>,
): Promise<{ summary: Summary; bytes: number }> {
  const times: number[] = [];
  let size = 0;
  for (let i = 0; i < n; i++) {
    const t = await fn(i);
    times.push(t.ms);
    size = t.bytes;
  }
  return { summary: summarize(times), bytes: size };
}

/**
 * How many entities of a kind the catalog holds; 0 while it cannot answer. Reading a 100,000-entity location blocks
 * the backend's event loop for about a minute, and a keep-alive connection it closes meanwhile fails the request.
 */
async function countOf(baseUrl: string, token: string, kind: string) {
  try {
    const res = await fetch(
      `${baseUrl}/api/catalog/entities/by-query?filter=kind=${kind}&limit=1`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    if (!res.ok) return 0;
    return Number((await res.json()).totalItems ?? 0);
  } catch {
    return 0;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Browser measurements

type PageRun = { ms: number; apiCalls: number; apiBytes: number };

async function signInAsGuest(context: BrowserContext, baseUrl: string) {
  const page = await context.newPage();
  try {
    await page.goto(`${baseUrl}/`);
    await page
      .getByRole('button', { name: /enter/i })
      .click({ timeout: 60_000 });
    await page.waitForFunction(
      () =>
        localStorage.getItem('@backstage/core:SignInPage:provider') === 'guest',
      undefined,
      { timeout: 30_000 },
    );
  } finally {
    await page.close();
  }
}

/** Opens `url` in a new tab of the signed-in context; time from navigation start to the first component row. */
async function timeToFirstRow(
  context: BrowserContext,
  url: string,
  artifactsDir: string,
  label: string,
  expected: string = FIRST_ROW,
): Promise<PageRun> {
  const page = await context.newPage();
  try {
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction(
      () => (window as any).__benchFirstRow !== undefined,
      undefined,
      { timeout: 120_000, polling: 50 },
    );
    // The observer fires on either marker; make sure it was this page's own (a 404 on the dashboard is no row).
    if (!(await page.locator(expected).count())) {
      throw new Error(`the page rendered, but not \`${expected}\``);
    }
    const result = await page.evaluate(() => {
      const at: number = (window as any).__benchFirstRow;
      const api = performance
        .getEntriesByType('resource')
        .map(e => e as PerformanceResourceTiming)
        .filter(e => e.name.includes('/api/') && e.responseEnd <= at);
      return {
        ms: at,
        apiCalls: api.length,
        apiBytes: api.reduce((sum, e) => sum + e.encodedBodySize, 0),
      };
    });
    // Let the page finish its remaining requests (counts, facets, ...) before the next run starts, so one page's
    // trailing work on the single-threaded backend is not billed to the next page.
    await page
      .waitForLoadState('networkidle', { timeout: 10_000 })
      .catch(() => undefined);
    return result;
  } catch (error) {
    const shot = join(artifactsDir, `failed-${label}.png`);
    await page.screenshot({ path: shot }).catch(() => undefined);
    throw new Error(
      `${label}: no component row at ${url} (screenshot ${shot}): ${error}`,
    );
  } finally {
    await page.close();
  }
}

// ---------------------------------------------------------------------------------------------------------------

type RefreshRun = {
  ms: number;
  /** Of `ms`, the time spent waiting for the in-memory catalog client; the rest is the refresh's own work. */
  catalogMs: number;
  ownMs: number;
  fetched: number;
  recomputed: number;
  phases: Record<string, number>;
};
type RefreshBench = {
  entities: number;
  components: number;
  sqlite?: Record<
    'first' | 'unchanged' | 'onePercent' | 'teamRenamed' | 'full',
    RefreshRun
  >;
  postgres?: Record<
    'first' | 'unchanged' | 'onePercent' | 'teamRenamed' | 'full',
    RefreshRun
  >;
};

/** RSS in bytes of the process listening on the backend's port (the backend itself, not the CLI watcher). */
function backendRss(baseUrl: string): number {
  const port = new URL(baseUrl).port;
  const listing = execFileSync('ss', ['-Hltnp', `sport = :${port}`]).toString();
  const pid = listing.match(/pid=(\d+)/)?.[1];
  if (!pid) throw new Error(`no process listens on port ${port}: ${listing}`);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(status.match(/VmRSS:\s+(\d+) kB/)?.[1]);
  return kb * 1024;
}

export async function dashboardSection(
  options: DashboardOptions,
): Promise<Omit<SectionResult, 'seconds'>> {
  const { timings } = options;
  const notes: string[] = [];
  const tables: Table[] = [];
  const data: Record<string, unknown> = {};

  notes.push(await ensureAppBuild(timings));

  const seedFile = join(tempDir('gp-bench-seed-'), 'large-catalog.yaml');
  const seedSummary = await timings.time(
    'dashboard: seed the catalog file',
    () =>
      run(
        process.execPath,
        [
          join(
            repoRoot,
            'plugins/service-insights-backend/scripts/seed-large-catalog.ts',
          ),
          '--out',
          seedFile,
          '--components',
          String(options.components),
          '--groups',
          String(options.groups),
          // A Location of files of 1,000 entities: the catalog processes them as separate locations, several at a
          // time, where a single 100,000-entity file ingested nothing for 13 minutes.
          '--per-file',
          '1000',
        ],
        { cwd: repoRoot },
      ).trim(),
  );
  const expected = {
    component: Number(
      seedSummary.match(/(\d+) components/)?.[1] ?? options.components,
    ),
    group: Number(seedSummary.match(/(\d+) groups/)?.[1] ?? options.groups),
    user: Number(seedSummary.match(/(\d+) users/)?.[1] ?? 0),
  };
  notes.push(`Seed: ${seedSummary.replace(/^Wrote \S+: /, '')}.`);

  // Static external-access tokens: one principal for baselines, one per first-time sample, and 50 for the memory
  // reading. A principal's first request is what a user's first visit costs.
  const tokenFor = (subject: string) => ({
    subject,
    token: `bench-${subject}-${randomBytes(16).toString('hex')}`,
  });
  const apiPrincipal = tokenFor('bench-api');
  const coldPrincipals = {
    services: Array.from({ length: options.coldRequests }, (_, i) =>
      tokenFor(`bench-cold-services-${i}`),
    ),
    rollups: Array.from({ length: options.coldRequests }, (_, i) =>
      tokenFor(`bench-cold-rollups-${i}`),
    ),
  };
  const memoryPrincipals = Array.from({ length: MEMORY_USERS }, (_, i) =>
    tokenFor(`bench-memory-${i}`),
  );
  const allPrincipals = [
    apiPrincipal,
    ...coldPrincipals.services,
    ...coldPrincipals.rollups,
    ...memoryPrincipals,
  ];

  let postgres: PostgresServer | undefined;
  let stopPostgres = async () => {};
  if (options.database === 'postgres') {
    postgres = await timings.time('dashboard: start PostgreSQL', () =>
      startPostgres({ settings: BENCH_POSTGRES_SETTINGS }),
    );
    stopPostgres = onCleanup('dashboard PostgreSQL', () => postgres?.stop());
  }
  const database = postgres
    ? {
        client: 'pg',
        connection: {
          host: postgres.host,
          port: postgres.port,
          user: postgres.user,
          password: postgres.password,
        },
      }
    : { client: 'better-sqlite3', connection: ':memory:' };

  const backend = await timings.time('dashboard: start the backend', () =>
    startBackend({
      configFiles: [join(repoRoot, 'app-config.yaml')],
      readyTimeoutMs: 300_000,
      override: baseUrl => ({
        // The backend serves the built frontend itself (app-backend) when the app lives at the backend's URL.
        app: { baseUrl },
        backend: {
          cors: { origin: baseUrl },
          database,
          auth: {
            externalAccess: allPrincipals.map(p => ({
              type: 'static',
              options: { token: p.token, subject: p.subject },
            })),
          },
        },
        catalog: {
          // Ingest once; no re-processing of 12,000 entities in the background while measuring.
          processingInterval: { hours: 6 },
          locations: [
            { type: 'file', target: join(repoRoot, 'examples/org.yaml') },
            {
              type: 'file',
              target: join(repoRoot, 'examples/components.yaml'),
            },
            { type: 'file', target: seedFile },
          ],
        },
        // Nor the search indexer reading the whole catalog in the middle of a measurement.
        search: {
          collators: {
            catalog: {
              schedule: {
                frequency: { hours: 6 },
                timeout: { minutes: 5 },
                initialDelay: { hours: 6 },
              },
            },
          },
        },
      }),
    }),
  );
  const stopBackend = onCleanup('dashboard backend', () => backend.stop());
  try {
    const base = backend.baseUrl;

    // The frontend must come from this backend, configured with this backend's URL.
    const html = await (await fetch(`${base}/service-insights`)).text();
    const served =
      html.includes('backstage.io/config') &&
      html.includes(`"baseUrl": "${base}"`);
    if (!served) {
      throw new Error(
        `${base}/service-insights does not serve the built app with app.baseUrl=${base}`,
      );
    }
    notes.push(
      `Frontend served by the backend itself (app-backend, ${base}): /service-insights answers the built index.html with app.baseUrl and backend.baseUrl = ${base} injected.`,
    );

    const ingestStarted = performance.now();
    await timings.time('dashboard: catalog ingestion', async () => {
      // About 3 min per 10,000 components on 2 cores, so an hour and more at 100,000.
      const deadline =
        Date.now() + Math.max(15, (options.components / 10_000) * 12) * 60_000;
      let lastProgress = Date.now();
      for (;;) {
        const counts = {
          component: await countOf(base, apiPrincipal.token, 'component'),
          group: await countOf(base, apiPrincipal.token, 'group'),
          user: await countOf(base, apiPrincipal.token, 'user'),
        };
        if (
          counts.component >= expected.component &&
          counts.group >= expected.group &&
          counts.user >= expected.user
        ) {
          data.catalogCounts = counts;
          return;
        }
        if (Date.now() > deadline) {
          throw new Error(
            `catalog ingestion stalled at ${JSON.stringify(counts)}`,
          );
        }
        if (Date.now() - lastProgress > 60_000) {
          lastProgress = Date.now();
          log(
            `dashboard: ingestion after ${(
              (performance.now() - ingestStarted) /
              1000
            ).toFixed(0)} s: ${JSON.stringify(counts)}`,
          );
        }
        await sleep(2000);
      }
    });
    const ingestSeconds = (performance.now() - ingestStarted) / 1000;
    const counts = data.catalogCounts as Record<string, number>;
    notes.push(
      `Catalog: ${num(counts.component)} components, ${num(
        counts.group,
      )} groups, ${num(
        counts.user,
      )} users (seed plus examples/), ingested in ${ingestSeconds.toFixed(
        0,
      )} s; ${
        postgres
          ? 'PostgreSQL (throwaway server, one database per plugin)'
          : 'SQLite in memory'
      }; processing interval and search indexing pushed out of the measurement window.`,
    );

    // The plugin's scheduled refresh stores every component's insight once; until it has, the dashboard is partial.
    const refreshStarted = performance.now();
    await timings.time(
      'dashboard: service-insights first refresh',
      async () => {
        const deadline =
          Date.now() + Math.max(15, (options.components / 10_000) * 3) * 60_000;
        for (;;) {
          // As above: a busy backend may drop the connection; that is not a failure of the refresh.
          const res = await fetch(
            `${base}/api/service-insights/services?pageSize=1`,
            { headers: { authorization: `Bearer ${apiPrincipal.token}` } },
          ).catch(() => undefined);
          const stored = res?.ok ? (await res.json()).totalItems : 0;
          if (stored >= counts.component) return;
          if (Date.now() > deadline) {
            throw new Error(`service-insights stalled at ${stored} components`);
          }
          await sleep(1000);
        }
      },
    );
    notes.push(
      `service-insights stored all ${num(counts.component)} components ${(
        (performance.now() - refreshStarted) /
        1000
      ).toFixed(
        0,
      )} s after the catalog finished ingesting (its scheduled refresh, every 30 s, lists etags and summarises what is new).`,
    );
    const releaseLock = await holdBenchLock(options.lockFile);
    const rssBefore = backendRss(base);

    // ---- 1a: time to the first component row in Chromium
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
      ],
    });
    const closeBrowser = onCleanup('chromium', () => browser.close());
    const browserRuns: Record<string, PageRun[]> = {
      shell: [],
      dashboard: [],
      catalog: [],
    };
    const dashboardUrl = `${base}/service-insights`;
    const catalogUrl = `${base}${catalogPath()}?filters%5Bkind%5D=component&filters%5Buser%5D=all`;
    let api: Record<string, { summary: Summary; bytes: number }> = {};
    try {
      const context = await browser.newContext({
        viewport: { width: 1400, height: 1000 },
      });
      await context.addInitScript((selector: string) => {
        const w = window as any;
        const observer = new MutationObserver(() => {
          const row = document.querySelector(selector);
          if (
            w.__benchFirstRow === undefined &&
            row &&
            row.getBoundingClientRect().height > 0
          ) {
            w.__benchFirstRow = performance.now();
            observer.disconnect();
          }
        });
        observer.observe(document, { childList: true, subtree: true });
      }, `${FIRST_ROW}, ${SHELL_READY}`);
      await signInAsGuest(context, base);

      const runPage = (url: string, label: string, expected?: string) =>
        timeToFirstRow(context, url, options.artifactsDir, label, expected);
      const runShell = (label: string) =>
        runPage(`${base}${SHELL_PATH}`, label, SHELL_READY);
      await timings.time(
        'dashboard: browser, warm-up and measured runs',
        async () => {
          // Unmeasured visits, two each: the browser caches the JS bundles and, from the second load on, their compiled
          // code.
          for (let i = 0; i < 2; i++) {
            await runShell(`shell-warmup-${i}`);
            await runPage(catalogUrl, `catalog-warmup-${i}`);
            await runPage(dashboardUrl, `dashboard-warmup-${i}`);
          }
          for (let i = 0; i < options.browserRuns; i++) {
            browserRuns.shell.push(await runShell(`shell-${i}`));
            browserRuns.dashboard.push(
              await runPage(dashboardUrl, `dashboard-${i}`),
            );
            browserRuns.catalog.push(await runPage(catalogUrl, `catalog-${i}`));
          }
        },
      );

      // ---- 1b: the aggregation API against the catalog API (other principals: the guest's view is untouched)
      api = await timings.time('dashboard: API latency', async () => {
        const get = (path: string, token: string) =>
          timedGet(`${base}${path}`, token);
        const servicesPath = '/api/service-insights/services?pageSize=25';
        const rollupsPath = '/api/service-insights/rollups';
        const results: Record<string, { summary: Summary; bytes: number }> = {};
        results.servicesCold = await repeat(options.coldRequests, i =>
          get(servicesPath, coldPrincipals.services[i].token),
        );
        // The same principal again: a returning user.
        const warmServices = coldPrincipals.services.at(-1)!.token;
        results.servicesWarm = await repeat(options.warmRequests, () =>
          get(servicesPath, warmServices),
        );
        results.rollupsCold = await repeat(options.coldRequests, i =>
          get(rollupsPath, coldPrincipals.rollups[i].token),
        );
        const warmRollups = coldPrincipals.rollups.at(-1)!.token;
        results.rollupsWarm = await repeat(options.warmRequests, () =>
          get(rollupsPath, warmRollups),
        );
        results.catalogFull = await repeat(options.fullCatalogRequests, () =>
          get(
            '/api/catalog/entities?filter=kind=component',
            apiPrincipal.token,
          ),
        );
        results.catalogProjected = await repeat(
          options.projectedCatalogRequests,
          () =>
            get(
              `/api/catalog/entities?filter=kind=component&fields=${INSIGHTS_FIELDS}`,
              apiPrincipal.token,
            ),
        );
        results.catalogPage = await repeat(options.warmRequests, () =>
          get(
            '/api/catalog/entities/by-query?filter=kind=component&limit=20',
            apiPrincipal.token,
          ),
        );
        // What each refresh asks of the catalog before it does any work: kind, name, namespace and etag of every
        // Component, Group, User and System, cursor-paged.
        results.etagListing = await repeat(3, async () => {
          const started = performance.now();
          let bytesRead = 0;
          let cursor: string | undefined;
          do {
            // As the catalog client does: the cursor carries the filter, the projection goes along on every page.
            const fields =
              'fields=kind,metadata.name,metadata.namespace,metadata.etag&limit=1000';
            const url = cursor
              ? `${base}/api/catalog/entities/by-query?cursor=${encodeURIComponent(
                  cursor,
                )}&${fields}`
              : `${base}/api/catalog/entities/by-query?filter=kind=component,kind=group,kind=user,kind=system&${fields}&totalItems=exclude`;
            const res = await fetch(url, {
              headers: { authorization: `Bearer ${apiPrincipal.token}` },
            });
            const text = await res.text();
            bytesRead += text.length;
            cursor = JSON.parse(text).pageInfo?.nextCursor;
          } while (cursor);
          if (bytesRead < 1000) {
            throw new Error(
              `the etag listing returned almost nothing (${bytesRead} bytes)`,
            );
          }
          return { ms: performance.now() - started, bytes: bytesRead };
        });
        return results;
      });

      // Memory: 50 principals open the dashboard (its three API calls) once each.
      await timings.time('dashboard: 50 distinct users', async () => {
        for (const principal of memoryPrincipals) {
          await Promise.all(
            [
              '/api/service-insights/services?pageSize=25',
              '/api/service-insights/rollups',
              '/api/service-insights/filters',
            ].map(path => timedGet(`${base}${path}`, principal.token)),
          );
        }
      });
      data.memory = { beforeUsers: rssBefore, afterUsers: backendRss(base) };
    } finally {
      await closeBrowser();
      await releaseLock();
    }

    // ---- tables
    const m = (runs: PageRun[], key: keyof PageRun) =>
      median(runs.map(r => r[key]));
    const catalogMs = m(browserRuns.catalog, 'ms');
    const shellMs = m(browserRuns.shell, 'ms');
    const browserRow = (label: string, runs: PageRun[]) => [
      label,
      runs.length,
      ms(m(runs, 'ms')),
      runs.length
        ? `${ms(Math.min(...runs.map(r => r.ms)))} – ${ms(
            Math.max(...runs.map(r => r.ms)),
          )}`
        : 'n/a',
      num(m(runs, 'apiCalls')),
      bytes(m(runs, 'apiBytes')),
      ratio(m(runs, 'ms'), catalogMs),
      ratio(m(runs, 'ms'), shellMs),
    ];
    tables.push({
      title: `1a. Time to the first rendered table row in Chromium (${num(
        counts.component,
      )} components)`,
      columns: [
        'Page',
        'Runs',
        'Median',
        'Range',
        'API calls before the row',
        'API bytes before the row',
        'vs catalog page',
        'vs app shell',
      ],
      rows: [
        browserRow(
          `App shell alone (baseline): \`${SHELL_PATH}\`, the app's not-found page`,
          browserRuns.shell,
        ),
        browserRow(
          'Catalog page (baseline): all components',
          browserRuns.catalog,
        ),
        browserRow('Dashboard /service-insights', browserRuns.dashboard),
      ],
      notes: [
        `From navigation start (performance.timeOrigin) to the first \`${FIRST_ROW}\` laid out, recorded in the page by a MutationObserver; new tab per run, same signed-in guest session, after two unmeasured visits of each page (JS bundles and their compiled code cached). Each run then waits for network idle before the next starts, so no page\'s trailing requests land on the next one.`,
        `Catalog page: \`${catalogPath()}?filters[kind]=component&filters[user]=all\` (the app mounts the catalog at \`${catalogPath()}\`; "all" so both pages cover the same ${num(
          counts.component,
        )} components).`,
        'The dashboard has no per-user state any more: every visit reads the stored insights, so there is no "cached" and "not cached" run to tell apart.',
        `App shell: \`${SHELL_PATH}\` matches no route, so the app renders its own not-found page inside the sidebar layout; the time runs to its \`${SHELL_READY}\` link. It fetches no plugin data, so it is the floor any page of this app can reach; goal for the dashboard: ≤ 1.1× the app shell.`,
        'API bytes are encoded body sizes from Resource Timing.',
      ],
    });
    data.browser = browserRuns;

    const pageP50 = api.catalogPage.summary.p50;
    const apiRow = (
      label: string,
      who: string,
      r: { summary: Summary; bytes: number },
    ) => [
      label,
      who,
      r.summary.n,
      ms(r.summary.p50),
      ms(r.summary.p95),
      bytes(r.bytes),
      ratio(r.summary.p50, pageP50),
      ratio(r.summary.p95, api.catalogPage.summary.p95),
    ];
    tables.push({
      title:
        "1b. Aggregation API latency, first-time and returning callers, against the catalog's own paginated query",
      columns: [
        'Request',
        'Caller',
        'n',
        'p50',
        'p95',
        'Response',
        'p50 vs catalog by-query',
        'p95 vs catalog by-query',
      ],
      rows: [
        apiRow(
          '`GET /api/catalog/entities/by-query?filter=kind=component&limit=20` (baseline: what the catalog page loads)',
          '—',
          api.catalogPage,
        ),
        apiRow(
          '`GET /api/service-insights/services?pageSize=25`',
          'first-time',
          api.servicesCold,
        ),
        apiRow(
          '`GET /api/service-insights/services?pageSize=25`',
          'returning',
          api.servicesWarm,
        ),
        apiRow(
          '`GET /api/service-insights/rollups`',
          'first-time',
          api.rollupsCold,
        ),
        apiRow(
          '`GET /api/service-insights/rollups`',
          'returning',
          api.rollupsWarm,
        ),
        apiRow(
          '`GET /api/catalog/entities?filter=kind=component` (all components)',
          '—',
          api.catalogFull,
        ),
        apiRow(
          `same with \`fields=\` (${INSIGHTS_FIELDS.split(',').length} fields)`,
          '—',
          api.catalogProjected,
        ),
        apiRow(
          'Etag listing a refresh starts with: `by-query` of Components, Groups, Users, Systems, `fields=kind,metadata.name,metadata.namespace,metadata.etag`, 1,000 a page',
          'refresh',
          api.etagListing,
        ),
      ],
      notes: [
        'Sequential requests from one client over keep-alive, timed until the whole body is read.',
        `First-time = the first request of a principal: each sample uses its own static external-access token (subject bench-cold-*). Returning = the next ${options.warmRequests} requests of the last of those principals. The service-insights backend keeps no per-caller state, so both read the same stored rows; the caller's catalog read decision is asked of the permission framework on every request.`,
        'With so few first-time samples p95 is the slowest one (nearest rank).',
      ],
    });
    const memory = data.memory as { beforeUsers: number; afterUsers: number };
    tables.push({
      title: `1c. Backend memory after ${MEMORY_USERS} distinct callers opened the dashboard`,
      columns: ['When', 'Backend RSS', 'vs before'],
      rows: [
        [
          'Before (catalog ingested, insights stored)',
          bytes(memory.beforeUsers),
          '1.00×',
        ],
        [
          `After ${MEMORY_USERS} callers × (services, rollups, filters)`,
          bytes(memory.afterUsers),
          ratio(memory.afterUsers, memory.beforeUsers),
        ],
      ],
      notes: [
        'RSS of the backend process listening on the port (read from /proc), after the browser runs and the API measurements. Nothing is kept per caller, so memory should not grow with the number of callers; GC timing makes single readings noisy.',
      ],
    });
    data.api = api;
    data.browserMedians = {
      shellMs,
      catalogMs,
      dashboardMs: m(browserRuns.dashboard, 'ms'),
    };
  } catch (error) {
    log(`dashboard backend log tail:\n${backend.logs().slice(-3000)}`);
    throw error;
  } finally {
    await stopBackend();
    await stopPostgres();
  }

  // ---- 1d: the refresh itself, with the backend stopped so it does not compete for the CPU
  const releaseRefreshLock = await holdBenchLock(options.lockFile);
  const refresh = await timings
    .time('dashboard: refresh cost', async () => {
      const out = execFileSync(
        process.execPath,
        [
          '--require',
          '@backstage/cli/config/nodeTransform.cjs',
          join(
            repoRoot,
            'plugins/service-insights-backend/scripts/bench-refresh.ts',
          ),
          '--components',
          String(options.components),
          '--groups',
          String(options.groups),
          // With the backend on PostgreSQL, the refresh is measured on PostgreSQL only (at 100,000 components SQLite's
          // part alone would take longer than the rest of the section).
          ...(options.database === 'postgres' ? ['--no-sqlite'] : []),
        ],
        { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024, timeout: 30 * 60_000 },
      ).toString();
      return JSON.parse(out.trim().split('\n').at(-1)!) as RefreshBench;
    })
    .finally(releaseRefreshLock);
  data.refresh = refresh;
  const refreshRows = (['sqlite', 'postgres'] as const).flatMap(db => {
    const r = refresh[db];
    if (!r) return [];
    const label = db === 'sqlite' ? 'SQLite (file)' : 'PostgreSQL';
    const row = (what: string, run: RefreshRun) => [
      label,
      what,
      num(run.fetched),
      num(run.recomputed),
      ms(run.ownMs),
      ratio(run.ownMs, r.full.ownMs),
      ms(run.catalogMs),
      Object.entries(run.phases)
        .filter(([, phaseMs]) => phaseMs >= 1)
        .map(([phase, phaseMs]) => `${phase} ${ms(phaseMs)}`)
        .join(', '),
    ];
    return [
      row('first run: everything new', r.first),
      row('nothing changed', r.unchanged),
      row('1 % of the components changed', r.onePercent),
      row("one team renamed (its subtree's owner chains)", r.teamRenamed),
      row('full recomputation (baseline)', r.full),
    ];
  });
  tables.push({
    title: `1d. Refresh cost: incremental against a full recomputation (${num(
      refresh.components,
    )} components, ${num(refresh.entities)} entities)`,
    columns: [
      'Database',
      'Refresh',
      'Entities fetched',
      'Services summarised',
      "Refresh's own time",
      'vs full recomputation',
      'In the in-memory catalog',
      'Phases (own and catalog time)',
    ],
    rows: refreshRows,
    notes: [
      "`plugins/service-insights-backend/scripts/bench-refresh.ts`: `refreshInsights` against @backstage/catalog-client's InMemoryCatalogClient holding the same seed. The time spent waiting for that client is counted apart, so the refresh's own time is its etag comparison, fetches, summaries and writes; the real catalog's cost of the etag listing each refresh starts with is in table 1b.",
      'Full recomputation = every service summarised again from the stored entities (what a policy change triggers); the first run also fetches and stores every entity.',
    ],
  });

  return {
    id: 'dashboard',
    title: '1. Dashboard at scale',
    tables,
    data,
    notes,
  };
}
