// The user journey in a real browser: Debian's Chromium (playwright-core) against the portal started by
// ./scripts/start with its state in a temp dir. A guest creates a Go API through the golden path, finds it in the
// catalog with its service-insights card, and sees it counted on the platform dashboard; an invalid cost center is
// stopped on the form. Screenshots of every step and the timings go to artifacts/e2e/.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { parseAllDocuments } from 'yaml';
import {
  eventually,
  repoRoot,
} from '../test-utils/src/backendProcess.ts';
import { getJson, guestToken } from '../test-utils/src/portalApi.ts';
import {
  startControlPlane,
  type ControlPlane,
} from '../conformance/lib/controlPlane.ts';
import {
  backstageReaderToken,
  createRestrictedNamespace,
  fluxObjects,
  installCrdsFor,
  kubernetesPluginConfig,
  serverSideApply,
} from '../conformance/lib/kubeApply.ts';
import { kustomizeBuild } from '../template-test/src/checks/manifests.ts';
import {
  ARTIFACTS_DIR,
  Journey,
  formatTimings,
  launchChromium,
  newPage,
  waitVisible,
  type StepTiming,
} from '../test-utils/src/browser.ts';
import {
  APP_URL,
  BACKEND_URL,
  startPortal,
  type RunningPortal,
} from './lib/portal.ts';
import {
  chooseTemplate,
  costTagsField,
  descriptionOf,
  fillServiceStep,
  goNext,
  openCreate,
  readRollupTable,
  readTotals,
  serviceInsightsCard,
  sidebar,
  signInAsGuest,
} from './lib/ui.ts';

const TEAM_REF = 'group:default/team-payments';
const JAEGER_URL = 'http://localhost:16686'; // goldenPath.tracing.links in app-config.yaml

let portal: RunningPortal | undefined;
let browser: Browser | undefined;
// A local control plane that plays dev for the portal's Kubernetes plugin, as scripts/local-cluster sets one up.
let cluster: ControlPlane | undefined;
const timings: StepTiming[] = [];

/** Why a failed step may have failed: the portal exited or printed a fatal error. */
function portalProblem(): string | undefined {
  try {
    portal?.assertAlive();
    return undefined;
  } catch (error) {
    return String(error);
  }
}

/** Names of the example components that app-config.yaml loads (examples/components.yaml). */
function exampleComponents(): string[] {
  return parseAllDocuments(
    readFileSync(join(repoRoot, 'examples/components.yaml'), 'utf8'),
  )
    .map(doc => doc.toJS())
    .filter(entity => entity?.kind === 'Component')
    .map(entity => entity.metadata.name as string);
}

async function rollupServices(token: string, teamRef: string) {
  const rollups = await getJson(
    `${BACKEND_URL}/api/service-insights/rollups`,
    token,
  );
  return (
    rollups.byTeam.find((row: { key: string }) => row.key === teamRef)
      ?.services ?? 0
  );
}

async function taskCount(token: string): Promise<number> {
  const res = await getJson(`${BACKEND_URL}/api/scaffolder/v2/tasks`, token);
  return res.totalTasks ?? res.tasks.length;
}

/** Waits for the scaffolder task to finish; fails with its log when it does not succeed. */
async function waitForTask(token: string, taskId: string): Promise<void> {
  const status = await eventually(
    `task ${taskId} to finish`,
    async () => {
      portal?.assertAlive();
      const task = await getJson(
        `${BACKEND_URL}/api/scaffolder/v2/tasks/${taskId}`,
        token,
      );
      return ['completed', 'failed', 'cancelled'].includes(task.status)
        ? (task.status as string)
        : undefined;
    },
    120_000,
  );
  if (status !== 'completed') {
    const events = await getJson(
      `${BACKEND_URL}/api/scaffolder/v2/tasks/${taskId}/events`,
      token,
    );
    const log = events
      .map((e: any) => String(e.body?.message ?? ''))
      .filter(Boolean)
      .slice(-30)
      .join('\n');
    assert.fail(`task ${taskId} ended ${status}:\n${log}`);
  }
}

/**
 * Waits for the entity page's service-insights card. A component registered a moment ago may not be served by the
 * catalog yet: while the page says "Entity not found", it is reloaded every 2 s (at most 90 s in all).
 */
async function openEntityCard(page: Page) {
  const deadline = Date.now() + 90_000;
  const ownership = page.getByRole('region', { name: 'Ownership' }).first();
  const notFound = page.getByText('Entity not found', { exact: true }).first();
  while (Date.now() < deadline) {
    const state = await Promise.race([
      ownership.waitFor({ timeout: 30_000 }).then(
        () => 'card',
        () => 'timeout',
      ),
      notFound.waitFor({ timeout: 30_000 }).then(
        () => 'not found',
        () => 'timeout',
      ),
    ]);
    if (state !== 'not found') break;
    await page.waitForTimeout(2_000);
    await page.reload();
  }
  // Returns the card, or fails saying what the page shows instead.
  return serviceInsightsCard(page, 5_000);
}

before(async () => {
  rmSync(ARTIFACTS_DIR, { recursive: true, force: true });
  mkdirSync(ARTIFACTS_DIR, { recursive: true });

  let started = performance.now();
  cluster = await startControlPlane({ workloads: true, nodes: 2 });
  const clusterConfig = join(
    mkdtempSync(join(tmpdir(), 'gp-e2e-kube-')),
    'app-config.local-cluster.yaml',
  );
  writeFileSync(
    clusterConfig,
    JSON.stringify({
      kubernetes: kubernetesPluginConfig([
        { name: 'dev', cluster, token: backstageReaderToken(cluster) },
      ]),
    }),
  );
  timings.push({
    journey: 'portal',
    step: 'local control plane (etcd, apiserver, controllers, kwok) ready',
    ms: Math.round(performance.now() - started),
  });
  started = performance.now();
  portal = await startPortal({
    readyTimeoutMs: 300_000,
    configFiles: [clusterConfig],
  });
  timings.push({
    journey: 'portal',
    step: 'scripts/start until :3000 and :7007 answer',
    ms: Math.round(performance.now() - started),
  });

  // The example org must be in the catalog before anyone picks an owner or reads a roll-up.
  started = performance.now();
  const token = await guestToken(BACKEND_URL);
  const expected = [
    'group:team-payments',
    'group:engineering',
    'system:checkout',
    'template:go-api',
    ...exampleComponents().map(name => `component:${name}`),
  ];
  await eventually(
    'the example org, the systems and the go-api template in the catalog',
    async () => {
      portal!.assertAlive();
      const entities: any[] = await getJson(
        `${BACKEND_URL}/api/catalog/entities?fields=kind,metadata.name`,
        token,
      );
      const have = new Set(
        entities.map(e => `${e.kind.toLowerCase()}:${e.metadata.name}`),
      );
      return expected.every(ref => have.has(ref)) ? true : undefined;
    },
    120_000,
  );
  timings.push({
    journey: 'portal',
    step: 'example org processed by the catalog',
    ms: Math.round(performance.now() - started),
  });

  // service-insights stores every component's insight once, in a scheduled refresh (every 30 s) that picks up
  // what the catalog has processed: wait until it holds every example component.
  started = performance.now();
  await eventually(
    'the example components in service-insights',
    async () => {
      portal!.assertAlive();
      const names = new Set(exampleComponents());
      const res = await getJson(
        `${BACKEND_URL}/api/service-insights/services?pageSize=200`,
        token,
      );
      const stored = res.items.filter((i: { name: string }) =>
        names.has(i.name),
      ).length;
      return stored === names.size ? true : undefined;
    },
    120_000,
  );
  timings.push({
    journey: 'portal',
    step: 'example org stored by service-insights',
    ms: Math.round(performance.now() - started),
  });

  started = performance.now();
  browser = await launchChromium();
  timings.push({
    journey: 'portal',
    step: 'Chromium launched',
    ms: Math.round(performance.now() - started),
  });
});

after(async () => {
  await browser?.close().catch(() => undefined);
  const started = performance.now();
  await portal?.stop();
  await cluster?.stop();
  if (portal) {
    timings.push({
      journey: 'portal',
      step: 'stopped (process group)',
      ms: Math.round(performance.now() - started),
    });
  }
  if (timings.length > 0) {
    const table = formatTimings(timings);
    writeFileSync(join(ARTIFACTS_DIR, 'timings.txt'), `${table}\n`);
    console.log(`\nTimings:\n${table}\n`);
  }
});

test(
  'the example org: dashboard roll-ups and two component cards',
  { timeout: 4 * 60_000 },
  async () => {
    const { context, page } = await newPage(browser!, 'example-org');
    const journey = new Journey('example org', page, {
      numbered: false,
      diagnose: portalProblem,
    });
    try {
      await journey.step('example-org-signin', () => signInAsGuest(page));

      await journey.step(
        'dashboard-example-org',
        async () => {
          await sidebar(page)
            .getByRole('link', { name: 'Service insights', exact: true })
            .click();
          await page.waitForURL(/\/service-insights/);
          const totals = await readTotals(page);
          assert.equal(totals.Services, String(exampleComponents().length));
          const byTeam = await readRollupTable(page, 'By team');
          const byCostCenter = await readRollupTable(page, 'By cost center');
          console.log('  totals', totals);
          console.table(byTeam);
          console.table(byCostCenter);
          writeFileSync(
            join(ARTIFACTS_DIR, 'dashboard-example-org.json'),
            JSON.stringify({ totals, byTeam, byCostCenter }, null, 2),
          );
          const payments = byTeam.find(row => row.name === 'Payments');
          assert.ok(payments, 'Payments has a row in the "By team" roll-up');
          // The owner that is not in the catalog shows up as a problem, not as a team.
          const legacy = byTeam.find(row => row.name.includes('team-legacy'));
          assert.equal(legacy?.withoutOwner, 1);
        },
        { fullPage: true },
      );

      await journey.step(
        'component-payments-api',
        async () => {
          await page.goto(`${APP_URL}/catalog/default/component/payments-api`);
          const card = await openEntityCard(page);
          const ownership = card.getByRole('region', { name: 'Ownership' });
          await waitVisible(
            page,
            ownership.getByRole('link', { name: 'Payments', exact: true }),
            'the owner Payments',
          );
          await waitVisible(
            page,
            card.getByText('Compliant', { exact: true }),
            'the Compliant chip',
          );
          const jaeger = card
            .getByRole('region', { name: 'Trace links' })
            .getByRole('link', { name: 'Jaeger', exact: true });
          const href = new URL((await jaeger.getAttribute('href'))!);
          assert.equal(href.searchParams.get('service'), 'payments-api');
        },
        { fullPage: true },
      );

      await journey.step(
        'component-legacy-reports',
        async () => {
          await page.goto(
            `${APP_URL}/catalog/default/component/legacy-reports`,
          );
          const card = await openEntityCard(page);
          const alert = card
            .getByRole('region', { name: 'Ownership' })
            .getByRole('alert');
          await waitVisible(page, alert, 'the "Owner not found" alert');
          const text = await alert.innerText();
          assert.match(text, /Owner not found/);
          assert.match(text, /group:default\/team-legacy/);
          await waitVisible(
            page,
            card.getByText('Missing tags', { exact: true }),
            'the Missing tags chip',
          );
          await waitVisible(
            page,
            card.getByText('No tracing set up', { exact: false }),
            'the hint to set up tracing',
          );
        },
        { fullPage: true },
      );
    } finally {
      timings.push(...journey.timings);
      await context.close();
    }
  },
);

test(
  'journey 1: a guest creates a Go API and finds it in the catalog and on the dashboard',
  { timeout: 8 * 60_000 },
  async () => {
    const { context, page } = await newPage(browser!, 'journey-1');
    const journey = new Journey('journey 1', page, { diagnose: portalProblem });
    const name = `e2e-${randomBytes(3).toString('hex')}`;
    const secretValue = `e2e-${randomBytes(8).toString('hex')}`;
    const token = await guestToken(BACKEND_URL);
    const paymentsBefore = await rollupServices(token, TEAM_REF);
    console.log(
      `  service ${name}; team-payments has ${paymentsBefore} services before`,
    );
    try {
      await journey.step('signin', shot => signInAsGuest(page, shot));

      await journey.step('create', () => openCreate(page));

      await journey.step('go-api-form', () => chooseTemplate(page, 'Go API'));

      await journey.step('service-step', () =>
        fillServiceStep(page, {
          name,
          description: 'Created by the e2e journey',
          ownerTitle: 'Payments',
          systemTitle: 'Checkout',
          lifecycle: 'production',
        }),
      );

      await journey.step('cost-tags', async () => {
        await goNext(page);
        const field = costTagsField(page);
        await waitVisible(page, field, 'the Cost tags step');
        const team = field.getByRole('textbox', { name: 'Team' });
        // Pre-filled from the owner picked on the first step.
        await eventually(
          'the team pre-filled from the owner',
          async () =>
            (await team.inputValue()) === 'team-payments' ? true : undefined,
          10_000,
        );
        assert.match(await descriptionOf(team), /from the owner you picked/);
        await field
          .getByRole('textbox', { name: 'Cost center' })
          .fill('CC-1001');
        await field
          .getByRole('combobox', { name: 'Environment' })
          .selectOption({ label: 'dev' });
        await field.getByRole('textbox', { name: 'Product' }).fill('checkout');
      });

      await journey.step('secrets', async () => {
        await goNext(page);
        const add = page.getByRole('button', { name: 'Add Item' });
        await waitVisible(page, add, 'the Secrets step');
        await add.click();
        await page
          .getByRole('textbox', { name: /^Secret name/ })
          .fill('DB_PASSWORD');
        // SecretValues: one masked input, the same value for every environment by default.
        const value = page.getByLabel('DB_PASSWORD (dev, staging, prod)');
        await waitVisible(page, value, 'the masked input of DB_PASSWORD');
        assert.equal(await value.getAttribute('type'), 'password');
        await value.fill(secretValue);
      });

      await journey.step('repository', async () => {
        await goNext(page);
        await waitVisible(
          page,
          page.getByRole('button', {
            name: 'Publish to Local git repository (data/repos)',
          }),
          'the Repository step with "Local git repository" kept',
        );
      });

      await journey.step(
        'review',
        async () => {
          await page
            .getByRole('button', { name: 'Review', exact: true })
            .click();
          const review = page.getByRole('table');
          await waitVisible(
            page,
            review.getByRole('row', { name: `Name ${name}` }),
            'the Review step',
          );
          for (const row of [
            'Owner group:default/team-payments',
            'System system:default/checkout',
            'Team team-payments',
            'Cost center CC-1001',
            'Environment dev',
            'Product checkout',
            'Secrets the service reads DB_PASSWORD',
            'Publish to Local git repository (data/repos)',
          ]) {
            await waitVisible(
              page,
              review.getByRole('row', { name: row, exact: true }),
              `the review row "${row}"`,
              5_000,
            );
          }
          // The secret's value is masked, never shown.
          assert.equal(await page.getByText(secretValue).count(), 0);
        },
        { fullPage: true },
      );

      await journey.step(
        'task-succeeded',
        async () => {
          await page
            .getByRole('button', { name: 'Create', exact: true })
            .click();
          await page.waitForURL(/\/create\/tasks\/[0-9a-f-]+/, {
            timeout: 30_000,
          });
          const taskId = page
            .url()
            .split('/create/tasks/')[1]
            .split(/[?#/]/)[0];
          await waitForTask(token, taskId);
          await waitVisible(
            page,
            page.getByRole('link', { name: 'Open in catalog', exact: true }),
            'the "Open in catalog" output link',
            30_000,
          );
          // The secret's value stays out of the task page (its log included).
          assert.equal(await page.getByText(secretValue).count(), 0);
        },
        { fullPage: true },
      );

      await journey.step(
        'component-page',
        async () => {
          await page
            .getByRole('link', { name: 'Open in catalog', exact: true })
            .click();
          await page.waitForURL(
            new RegExp(`/catalog/default/component/${name}(\\?|#|$)`),
          );
          await openEntityCard(page);
          await waitVisible(
            page,
            page.getByRole('heading', { name, exact: true }),
            `the heading ${name}`,
          );
        },
        { fullPage: true },
      );

      await journey.step('service-insights-card', async shot => {
        const card = await openEntityCard(page);
        const ownership = card.getByRole('region', { name: 'Ownership' });
        const owner = ownership.getByRole('link', {
          name: 'Payments',
          exact: true,
        });
        await waitVisible(page, owner, 'the owner Payments on the card');
        assert.equal(
          await owner.getAttribute('href'),
          '/catalog/default/group/team-payments',
        );
        const parent = ownership
          .getByLabel("Owner's parent chain")
          .getByRole('link', { name: 'Engineering', exact: true });
        await waitVisible(page, parent, "the owner's parent Engineering");

        await waitVisible(
          page,
          card.getByText('Compliant', { exact: true }),
          'the Compliant chip',
        );
        const tagTable = card
          .getByRole('region', { name: 'Cost tags' })
          .getByRole('table', { name: 'Cost tags' });
        const rows = await tagTable
          .getByRole('rowgroup')
          .nth(1)
          .getByRole('row')
          .all();
        const tags: Record<string, string> = {};
        for (const row of rows) {
          const [tag, value, status] = (
            await row.getByRole('cell').allInnerTexts()
          ).map(t => t.trim());
          assert.equal(status, 'OK', `cost tag ${tag} is OK`);
          tags[tag] = value;
        }
        assert.deepEqual(tags, {
          team: 'team-payments',
          'cost-center': 'CC-1001',
          environment: 'dev',
          product: 'checkout',
        });

        const jaeger = card
          .getByRole('region', { name: 'Trace links' })
          .getByRole('link', { name: 'Jaeger', exact: true });
        await waitVisible(page, jaeger, 'the Jaeger trace link');
        const href = new URL((await jaeger.getAttribute('href'))!);
        assert.equal(href.origin, JAEGER_URL);
        assert.equal(href.pathname, '/search');
        assert.equal(href.searchParams.get('service'), name);

        // The value given once in the form was stored for every environment; the card says so, without the value.
        const secretRow = card
          .getByRole('region', { name: 'Secrets' })
          .getByRole('row', { name: /DB_PASSWORD/ });
        await waitVisible(page, secretRow, 'the DB_PASSWORD row of Secrets');
        assert.deepEqual(
          (await secretRow.getByRole('cell').allInnerTexts()).map(t =>
            t.trim(),
          ),
          ['DB_PASSWORD', 'stored', 'stored', 'stored'],
        );
        assert.equal(await card.getByText(secretValue).count(), 0);

        await card.scrollIntoViewIfNeeded();
        await shot(card);
      });

      await journey.step('runtime-drift', async shot => {
        // Flux would apply the dev overlay from the published repository; the journey does it the same way.
        const clone = join(mkdtempSync(join(tmpdir(), 'gp-e2e-clone-')), name);
        execFileSync('git', [
          'clone',
          '--quiet',
          join(portal!.stateDir, 'repos', name),
          clone,
        ]);
        const objects = kustomizeBuild(join(clone, 'deploy/overlays/dev'));
        const flux = fluxObjects(clone, 'dev');
        installCrdsFor(cluster!, [...objects, ...flux]);
        const namespace = flux.find(o => o.kind === 'Kustomization')!.spec
          .targetNamespace;
        createRestrictedNamespace(cluster!, namespace);
        assert.deepEqual(serverSideApply(cluster!, objects, namespace), []);
        cluster!.kubectl([
          'wait',
          `--namespace=${namespace}`,
          '--for=condition=Available',
          '--timeout=120s',
          `deployment/${name}`,
        ]);
        // Someone edits the live Deployment by hand: the card must say so.
        cluster!.kubectl([
          'label',
          `--namespace=${namespace}`,
          `deployment/${name}`,
          'cost-center-',
        ]);
        await page.reload();
        const card = await openEntityCard(page);
        const runtime = card.getByRole('list', { name: 'Runtime' });
        await waitVisible(
          page,
          runtime.getByText(/^dev · Drift · \d+\/\d+ ready$/),
          'dev running with drift on the card',
        );
        await waitVisible(
          page,
          runtime.getByText(
            `dev Deployment ${name} lacks label cost-center (the catalog says CC-1001)`,
          ),
          'the missing cost-center label',
        );
        await runtime.scrollIntoViewIfNeeded();
        await shot(card);
      });

      await journey.step(
        'dashboard',
        async () => {
          await sidebar(page)
            .getByRole('link', { name: 'Service insights', exact: true })
            .click();
          await page.waitForURL(/\/service-insights/);
          const row = page
            .getByRole('table', { name: 'Services' })
            .getByRole('row')
            .filter({ has: page.getByRole('link', { name, exact: true }) });
          // The backend's refresh picks up catalog changes every 30 s: reload until the new service is counted and
          // listed. The list and the roll-ups are two requests (the roll-ups follow the first page), so a refresh can
          // land between them: one load may count the service without listing it yet.
          await eventually(
            `Payments counted with ${
              paymentsBefore + 1
            } services in "By team", ${name} listed`,
            async () => {
              const byTeam = await readRollupTable(page, 'By team');
              const payments = byTeam.find(team => team.name === 'Payments');
              if (
                payments?.services === paymentsBefore + 1 &&
                (await row.count()) === 1
              ) {
                return true;
              }
              await page.reload();
              await page.waitForTimeout(2_000);
              return undefined;
            },
            90_000,
          );
          // What runs, per page: the new service runs in dev (the journey's local cluster) with the label drift.
          await waitVisible(
            page,
            row.getByText('dev · Drift', { exact: true }),
            `${name}'s Runs cell with dev drift`,
          );
          // The compliance trend: the refresh writes the day's snapshot, so at least today is on the chart.
          const trend = page.getByRole('img', {
            name: /^Compliance over 90 days/,
          });
          await waitVisible(page, trend, 'the compliance trend chart');
          await waitVisible(
            page,
            page.getByText(
              /^All services: \d+ %( → \d+ %)? tagged (today|in \d+ days?)$/,
            ),
            "the trend's headline",
          );
        },
        { fullPage: true },
      );

      await journey.step(
        'dashboard-team-payments',
        async () => {
          const team = page.getByRole('combobox', { name: 'Team' });
          // Options are indented under their parent team; pick the one that reads "Payments".
          const value = await team
            .getByRole('option')
            .filter({ hasText: /^\s*Payments\s*$/ })
            .getAttribute('value');
          assert.equal(value, TEAM_REF);
          await team.selectOption(value!);
          await page.waitForURL(/[?&]team=/);
          const services = page.getByRole('table', { name: 'Services' });
          const row = services
            .getByRole('row')
            .filter({ has: page.getByRole('link', { name, exact: true }) });
          await waitVisible(page, row, `${name} in the Services table`);
          assert.match(await row.innerText(), /Payments/);
          assert.match(await row.innerText(), /Compliant/);
          await eventually(
            `the filtered totals to show ${paymentsBefore + 1} services`,
            async () =>
              (await readTotals(page)).Services === String(paymentsBefore + 1)
                ? true
                : undefined,
            15_000,
          );
        },
        { fullPage: true },
      );
    } finally {
      timings.push(...journey.timings);
      await context.close();
    }
  },
);

test(
  'journey 2: an invalid cost center stops the form with the policy error',
  { timeout: 4 * 60_000 },
  async () => {
    const { context, page } = await newPage(browser!, 'journey-2');
    const journey = new Journey('journey 2', page, {
      prefix: 'j2-',
      diagnose: portalProblem,
    });
    const name = `e2e-${randomBytes(3).toString('hex')}-bad`;
    const token = await guestToken(BACKEND_URL);
    const tasksBefore = await taskCount(token);
    try {
      await journey.step('signin', () => signInAsGuest(page));
      await journey.step('service-step', async () => {
        await openCreate(page);
        await chooseTemplate(page, 'Go API');
        await fillServiceStep(page, {
          name,
          description: 'Must never be created',
          ownerTitle: 'Payments',
          systemTitle: 'Checkout',
          lifecycle: 'experimental',
        });
      });
      await journey.step('invalid-cost-center', async () => {
        await goNext(page);
        const field = costTagsField(page);
        await waitVisible(page, field, 'the Cost tags step');
        const costCenter = field.getByRole('textbox', { name: 'Cost center' });
        await costCenter.fill('1234');
        await field
          .getByRole('combobox', { name: 'Environment' })
          .selectOption({ label: 'dev' });
        await field.getByRole('textbox', { name: 'Product' }).fill('checkout');
        const formUrl = page.url();
        await goNext(page);

        const message = 'cost-center "1234" must match ^CC-[0-9]{4}$';
        await eventually(
          'the cost center marked invalid',
          async () =>
            (await costCenter.getAttribute('aria-invalid')) === 'true'
              ? true
              : undefined,
          10_000,
        );
        assert.equal(await descriptionOf(costCenter), message);
        // The form's error list repeats it above the step.
        await waitVisible(
          page,
          page.getByRole('listitem').filter({ hasText: message }),
          'the policy error in the form error list',
        );
        // Still on the Cost tags step: the Secrets step did not open, no task was created.
        assert.ok(await field.isVisible(), 'the Cost tags step is still shown');
        assert.equal(
          await page.getByRole('button', { name: 'Add Item' }).count(),
          0,
        );
        assert.equal(page.url(), formUrl);
        assert.equal(await taskCount(token), tasksBefore);
      });
    } finally {
      timings.push(...journey.timings);
      await context.close();
    }
  },
);
