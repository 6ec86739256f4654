// Section "dashboard": the platform dashboard and its aggregation API on a 10,000-component catalog, against
// Backstage's own catalog page and catalog API on the same backend and data.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import YAML from 'yaml';
import {
  repoRoot,
  startBackend,
} from '../../backend/integration/lib/backendProcess.ts';
import { guestToken } from '../../backend/integration/lib/portalApi.ts';
import { run } from '../../conformance/lib/processes.ts';
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
  artifactsDir: string;
  timings: Timings;
  /** Browser runs per page (warm) and of the dashboard with its view not cached. */
  browserRuns: number;
  coldBrowserRuns: number;
  /** Requests per API measurement. */
  coldRequests: number;
  warmRequests: number;
  fullCatalogRequests: number;
  projectedCatalogRequests: number;
};

/** service-insights keeps a user's computed view this long (createServiceInsightsService.ts). */
const VIEW_TTL_MS = 30_000;

/** A row of the main table that links to a component: never a loading or "no results" row, nor a roll-up row. */
const FIRST_ROW = 'table tbody tr a[href*="/component/"]';

/** The fields the service-insights backend itself projects Components to (plugin README, "Loading"). */
const INSIGHTS_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.description',
  'metadata.labels',
  'metadata.annotations',
  'spec.type',
  'spec.lifecycle',
  'spec.owner',
  'spec.system',
].join(',');

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

async function countOf(baseUrl: string, token: string, kind: string) {
  const res = await fetch(
    `${baseUrl}/api/catalog/entities/by-query?filter=kind=${kind}&limit=1`,
    { headers: { Authorization: `Bearer ${token}` } },
  );
  if (!res.ok) return 0;
  return Number((await res.json()).totalItems ?? 0);
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
): Promise<PageRun> {
  const page = await context.newPage();
  try {
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction(
      () => (window as any).__benchFirstRow !== undefined,
      undefined,
      { timeout: 60_000, polling: 50 },
    );
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

  // Static external-access tokens: one principal for baselines, one per cold sample. service-insights caches a
  // view per principal (view:v1:service:<subject>), so a principal's first request always finds the cache empty.
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
  const allPrincipals = [
    apiPrincipal,
    ...coldPrincipals.services,
    ...coldPrincipals.rollups,
  ];

  const backend = await timings.time('dashboard: start the backend', () =>
    startBackend({
      configFiles: [join(repoRoot, 'app-config.yaml')],
      readyTimeoutMs: 300_000,
      override: baseUrl => ({
        // The backend serves the built frontend itself (app-backend) when the app lives at the backend's URL.
        app: { baseUrl },
        backend: {
          cors: { origin: baseUrl },
          database: { client: 'better-sqlite3', connection: ':memory:' },
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
      const deadline = Date.now() + 15 * 60_000;
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
      )} s; SQLite in memory; processing interval and search indexing pushed out of the measurement window.`,
    );

    // ---- 1a: time to the first component row in Chromium
    const guest = await guestToken(base);
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
      dashboardWarm: [],
      dashboardCold: [],
      catalog: [],
    };
    const dashboardUrl = `${base}/service-insights`;
    const catalogUrl = `${base}${catalogPath()}?filters%5Bkind%5D=component&filters%5Buser%5D=all`;
    let viewFilledAt = 0; // when the guest's cached view was computed (performance.now())
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
      }, FIRST_ROW);
      await signInAsGuest(context, base);

      const runPage = (url: string, label: string) =>
        timeToFirstRow(context, url, options.artifactsDir, label);
      await timings.time(
        'dashboard: browser, warm-up and view-cached runs',
        async () => {
          // Unmeasured visits, two each: the browser caches the JS bundles and, from the second load on, their compiled
          // code. The last dashboard visit computes the guest's view if it is not cached yet.
          for (let i = 0; i < 2; i++) {
            await runPage(catalogUrl, `catalog-warmup-${i}`);
            if (i === 0) viewFilledAt = performance.now();
            await runPage(dashboardUrl, `dashboard-warmup-${i}`);
          }
          for (let i = 0; i < options.browserRuns; i++) {
            if (performance.now() - viewFilledAt > VIEW_TTL_MS - 8000) {
              // Let the cached view expire, then have it computed again, so the next runs find it cached.
              await sleep(
                Math.max(
                  0,
                  viewFilledAt + VIEW_TTL_MS + 1000 - performance.now(),
                ),
              );
              viewFilledAt = performance.now();
              await timedGet(`${base}/api/service-insights/rollups`, guest);
            }
            browserRuns.dashboardWarm.push(
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
        // Right after the last cold request the view of that principal is cached: warm requests follow at once.
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
        return results;
      });

      await timings.time(
        'dashboard: browser, view-not-cached runs',
        async () => {
          for (let i = 0; i < options.coldBrowserRuns; i++) {
            await sleep(
              Math.max(
                0,
                viewFilledAt + VIEW_TTL_MS + 1000 - performance.now(),
              ),
            );
            viewFilledAt = performance.now();
            browserRuns.dashboardCold.push(
              await runPage(dashboardUrl, `dashboard-cold-${i}`),
            );
          }
        },
      );
    } finally {
      await closeBrowser();
    }

    // ---- tables
    const m = (runs: PageRun[], key: keyof PageRun) =>
      median(runs.map(r => r[key]));
    const catalogMs = m(browserRuns.catalog, 'ms');
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
      ],
      rows: [
        browserRow(
          'Catalog page (baseline): all components',
          browserRuns.catalog,
        ),
        browserRow(
          'Dashboard /service-insights, view cached',
          browserRuns.dashboardWarm,
        ),
        browserRow(
          'Dashboard /service-insights, view not cached',
          browserRuns.dashboardCold,
        ),
      ],
      notes: [
        `From navigation start (performance.timeOrigin) to the first \`${FIRST_ROW}\` laid out, recorded in the page by a MutationObserver; new tab per run, same signed-in guest session, after two unmeasured visits of each page (JS bundles and their compiled code cached). Each run then waits for network idle before the next starts, so no page\'s trailing requests land on the next one.`,
        `Catalog page: \`${catalogPath()}?filters[kind]=component&filters[user]=all\` (the app mounts the catalog at \`${catalogPath()}\`; "all" so both pages cover the same ${num(
          counts.component,
        )} components).`,
        '"View cached": the guest\'s aggregated view was computed less than 30 s earlier (the service-insights cache TTL). "Not cached": the run started after the TTL ran out, so the backend read and aggregated the catalog first.',
        'API bytes are encoded body sizes from Resource Timing.',
      ],
    });
    data.browser = browserRuns;

    const fullP50 = api.catalogFull.summary.p50;
    const projectedP50 = api.catalogProjected.summary.p50;
    const apiRow = (
      label: string,
      cache: string,
      r: { summary: Summary; bytes: number },
    ) => [
      label,
      cache,
      r.summary.n,
      ms(r.summary.p50),
      ms(r.summary.p95),
      bytes(r.bytes),
      ratio(r.summary.p50, fullP50),
      ratio(r.summary.p50, projectedP50),
    ];
    tables.push({
      title:
        '1b. Aggregation API latency against fetching the components from the catalog API',
      columns: [
        'Request',
        'Cache',
        'n',
        'p50',
        'p95',
        'Response',
        'p50 vs all components',
        'p50 vs projected',
      ],
      rows: [
        apiRow(
          '`GET /api/catalog/entities?filter=kind=component` (baseline)',
          '—',
          api.catalogFull,
        ),
        apiRow('same with `fields=` (baseline 2)', '—', api.catalogProjected),
        apiRow(
          '`GET /api/service-insights/services?pageSize=25`',
          'cold',
          api.servicesCold,
        ),
        apiRow(
          '`GET /api/service-insights/services?pageSize=25`',
          'warm',
          api.servicesWarm,
        ),
        apiRow('`GET /api/service-insights/rollups`', 'cold', api.rollupsCold),
        apiRow('`GET /api/service-insights/rollups`', 'warm', api.rollupsWarm),
        apiRow(
          '`GET /api/catalog/entities/by-query?filter=kind=component&limit=20` (what the catalog page loads)',
          '—',
          api.catalogPage,
        ),
      ],
      notes: [
        'Sequential requests from one client over keep-alive, timed until the whole body is read.',
        `Cold = the first request of a principal, so its view is not cached: each cold sample uses its own static external-access token (subject bench-cold-*), because the cache key is the caller's identity. A user's first dashboard visit costs the same. Warm = the next ${options.warmRequests} requests of the last of those principals, well inside the 30 s TTL.`,
        `Projection (baseline 2): \`fields=${INSIGHTS_FIELDS}\`, the fields the service-insights backend reads.`,
        'With so few cold samples p95 is the slowest one (nearest rank).',
      ],
    });
    data.api = api;
    data.browserMedians = {
      catalogMs,
      dashboardWarmMs: m(browserRuns.dashboardWarm, 'ms'),
      dashboardColdMs: m(browserRuns.dashboardCold, 'ms'),
    };
  } catch (error) {
    log(`dashboard backend log tail:\n${backend.logs().slice(-3000)}`);
    throw error;
  } finally {
    await stopBackend();
  }
  return {
    id: 'dashboard',
    title: '1. Dashboard at scale',
    tables,
    data,
    notes,
  };
}
