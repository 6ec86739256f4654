// Benchmarks of the golden-path portal and of what its templates generate. Scripts, not tests: every number is
// reported next to a baseline measured in the same run, nothing is asserted. See README.md.
//
//   yarn bench                                  # everything, ~15 min on 2 cores
//   yarn bench --only tracing,scaffolding       # some sections
//   yarn bench --only dashboard --components 2000
//
// Results: <repo>/artifacts/bench/results.json and results.md (git-ignored), logs next to them.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../test-utils/src/backendProcess.ts';
import { startPortal, type Portal } from '../test-utils/src/generate.ts';
import { dashboardSection } from './lib/dashboard.ts';
import { footprintSection } from './lib/footprint.ts';
import { kubernetesSection } from './lib/kubernetes.ts';
import {
  renderSection,
  writeResults,
  type SectionResult,
} from './lib/report.ts';
import { scaffoldingSection } from './lib/scaffolding.ts';
import {
  buildService,
  generateService,
  TEMPLATES,
  type BuiltService,
  type TemplateName,
} from './lib/services.ts';
import {
  cleanupAll,
  describeMachine,
  log,
  machineMarkdown,
  missingTools,
  onCleanup,
  removeAtExit,
  Timings,
} from './lib/system.ts';
import { templateTestSection } from './lib/templateTest.ts';
import { tracingSection } from './lib/tracing.ts';

const SECTIONS = {
  dashboard: {
    title: '1. Dashboard at scale',
    tools: ['chromium'],
  },
  scaffolding: {
    title: '2. Scaffolding',
    tools: [],
  },
  tracing: {
    title: '3. Tracing overhead of generated services',
    tools: ['vegeta', 'wrk', 'go', 'java', 'nats-server', 'npm', 'git'],
  },
  footprint: {
    title: '4. Generated go-api footprint',
    tools: ['wrk', 'go', 'git'],
  },
  kubernetes: {
    title: '5. Runtime check against a control plane',
    tools: ['go', 'git', 'kube'],
  },
  'template-test': {
    title: '6. template-test, warm (render + checks, no --build)',
    tools: ['go'],
  },
} as const;
type SectionId = keyof typeof SECTIONS;

const USAGE = `Usage: yarn bench [--only ${Object.keys(SECTIONS).join(
  ',',
)}] [--templates ${TEMPLATES.join(
  ',',
)}] [--components 10000] [--groups 500] [--database sqlite|postgres] [--lock FILE]

Sections (all by default, in this order):
  dashboard    /service-insights vs the catalog page and the app shell in Chromium; aggregation API (first-time and returning) vs the
               catalog's by-query; memory after 50 callers; refresh cost, 1 % changed vs full (10k components;
               100k: --components 100000 --database postgres, about an hour of ingestion)
  scaffolding  golden-path template (render + wiring) vs plain fetch:template, scaffolder dry-run
  tracing      generated go-api, java-api, node-worker with tracing on vs OTEL_SDK_DISABLED=true
               (--templates java-api: only those templates)
  footprint    generated go-api start->ready time and RSS
  kubernetes   runtime check (what runs vs the catalog) with 25/100/200 services on a control plane with kwok nodes
  template-test  render + checks of each template through one warm in-process engine vs a built-in-only template

Results go to artifacts/bench/results.{json,md}. See packages/bench/README.md.`;

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    templates: { type: 'string' },
    components: { type: 'string', default: '10000' },
    groups: { type: 'string', default: '500' },
    database: { type: 'string', default: 'sqlite' },
    // The machine-wide benchmark lock, held only while the dashboard section measures (not while it ingests).
    lock: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const selected = (args.only ?? Object.keys(SECTIONS).join(','))
  .split(',')
  .map(s => s.trim())
  .filter(Boolean);
const unknown = selected.filter(s => !(s in SECTIONS));
if (unknown.length) {
  console.error(`Unknown section ${unknown.join(', ')}.\n\n${USAGE}`);
  process.exit(2);
}
if (!['sqlite', 'postgres'].includes(args.database!)) {
  console.error(
    `--database must be sqlite or postgres, not ${args.database}.\n\n${USAGE}`,
  );
  process.exit(2);
}
const want = (id: SectionId) => selected.includes(id);
const tracedTemplates = (args.templates ?? TEMPLATES.join(','))
  .split(',')
  .map(s => s.trim())
  .filter(Boolean);
const unknownTemplates = tracedTemplates.filter(
  t => !(TEMPLATES as readonly string[]).includes(t),
);
if (unknownTemplates.length) {
  console.error(
    `Unknown template ${unknownTemplates.join(
      ', ',
    )} in --templates.\n\n${USAGE}`,
  );
  process.exit(2);
}

const missing = missingTools(
  (Object.keys(SECTIONS) as SectionId[])
    .filter(want)
    .flatMap(id => SECTIONS[id].tools),
);
if (missing.length) {
  console.error(
    `Missing tools for the selected sections:\n${missing
      .map(m => `  ${m.tool}: ${m.install}`)
      .join('\n')}\n(or leave out the sections that need them with --only)`,
  );
  process.exit(1);
}

const artifactsDir = join(repoRoot, 'artifacts/bench');
const logDir = join(artifactsDir, 'logs');
rmSync(logDir, { recursive: true, force: true });

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping everything this run started`);
    void cleanupAll().finally(() => process.exit(130));
  });
}

const machine = describeMachine();
const header = machineMarkdown(machine);
console.log(
  `# Benchmarks\n\n${header}\n- **Sections**: ${selected.join(', ')}\n`,
);

const timings = new Timings();
const sections: SectionResult[] = [];
const runStarted = performance.now();

async function section(
  id: SectionId,
  fn: () => Promise<Omit<SectionResult, 'seconds'>>,
): Promise<void> {
  const started = performance.now();
  let result: SectionResult;
  try {
    result = { ...(await fn()), seconds: 0 };
  } catch (error) {
    log(`${id} failed: ${error instanceof Error ? error.stack : error}`);
    result = {
      id,
      title: SECTIONS[id].title,
      seconds: 0,
      tables: [],
      data: {},
      notes: [],
      error: String(error instanceof Error ? error.message : error).slice(
        0,
        2000,
      ),
    };
  }
  result.seconds = (performance.now() - started) / 1000;
  sections.push(result);
  console.log(`\n${renderSection(result)}`);
}

async function main(): Promise<number> {
  try {
    if (want('dashboard')) {
      await section('dashboard', () =>
        dashboardSection({
          components: Number(args.components),
          groups: Number(args.groups),
          database: args.database === 'postgres' ? 'postgres' : 'sqlite',
          lockFile: args.lock,
          artifactsDir,
          timings,
          browserRuns: 7,
          coldRequests: 8,
          warmRequests: 50,
          // Reading every component at 100,000 takes tens of seconds a request: fewer samples of those references.
          fullCatalogRequests: Number(args.components) > 20_000 ? 3 : 10,
          projectedCatalogRequests: Number(args.components) > 20_000 ? 5 : 20,
        }),
      );
    }

    // Scaffolding measures the scaffolder; tracing and footprint need repositories generated by it. One portal
    // serves both, and is stopped before any load test starts.
    const toGenerate: TemplateName[] = TEMPLATES.filter(
      t =>
        (want('tracing') && tracedTemplates.includes(t)) ||
        (t === 'go-api' && (want('footprint') || want('kubernetes'))),
    );
    const repos: Partial<Record<TemplateName, string>> = {};
    if (want('scaffolding') || toGenerate.length) {
      let portal: Portal | undefined;
      const started = performance.now();
      try {
        portal = await timings.time(
          'setup: start the portal (scaffolder)',
          () => startPortal(toGenerate),
        );
        removeAtExit(portal.dataDir);
        const stop = onCleanup('portal', () => portal!.backend.stop());
        try {
          if (want('scaffolding')) {
            await section('scaffolding', () =>
              scaffoldingSection({ portal: portal!, runs: 20, timings }),
            );
          }
          for (const template of toGenerate) {
            repos[template] = await timings.time(
              `setup: generate ${template} (scaffolder task)`,
              () => generateService(portal!, template),
            );
          }
        } finally {
          await stop();
        }
      } catch (error) {
        log(`portal failed: ${error instanceof Error ? error.stack : error}`);
        for (const id of ['scaffolding', 'tracing', 'footprint'] as const) {
          if (want(id) && !sections.some(s => s.id === id)) {
            sections.push({
              id,
              title: SECTIONS[id].title,
              seconds: (performance.now() - started) / 1000,
              tables: [],
              data: {},
              notes: [],
              error: `the portal needed to ${
                id === 'scaffolding' ? 'dry-run' : 'generate'
              } templates failed: ${error}`,
            });
          }
        }
      }
    }

    const built: Partial<Record<TemplateName, BuiltService>> = {};
    const buildErrors: string[] = [];
    for (const template of toGenerate) {
      const repoDir = repos[template];
      if (!repoDir) continue;
      try {
        built[template] = await timings.time(`setup: build ${template}`, () =>
          buildService(template, repoDir),
        );
      } catch (error) {
        buildErrors.push(`${template}: ${String(error).slice(0, 1500)}`);
      }
    }

    if (want('tracing') && !sections.some(s => s.id === 'tracing')) {
      await section('tracing', async () => {
        if (buildErrors.length)
          throw new Error(`build failed: ${buildErrors.join('\n')}`);
        return tracingSection({
          services: Object.fromEntries(
            Object.entries(built).filter(([t]) => tracedTemplates.includes(t)),
          ),
          logDir,
          timings,
          // Far below saturation (the off variants serve ~15,000 requests/s and more on 2 quiet cores): at 500/s
          // java-api off needs about a tenth of a core, so every variant keeps up even on a busy shared machine.
          httpRate: 500,
          // Each process is measured in 6 windows of 5 s, interleaved with the other variants' (the level of the machine
          // moved by ±20 % within a minute; see httpRound), so a ratio compares the same stretch of time.
          rateSeconds: 5,
          windows: 6,
          wrkSeconds: 5,
          warmupRequests: { 'go-api': 10_000, 'java-api': 30_000 },
          warmupMaxSeconds: 40,
          settlePieceSeconds: 5,
          settleJitShare: 0.1,
          settleMaxSeconds: 40,
          // The worker's measured windows: the HTTP services' rate. At 500 jobs/s it idles between jobs, as
          // the HTTP services do between requests (saturated it takes about 8,000 jobs/s on 2 quiet cores).
          jobRate: 500,
          // The saturating burst (secondary): 10,000 jobs (about 2 s of work); with 2,000 (0.4 s) the rounds of one
          // variant differed by up to 20 %.
          jobs: 10_000,
          // After 2,000 jobs V8 was still compiling: its helper threads (compiler and GC) used 18–20 µs per measured
          // job off and 29–30 µs at 10 %, against 1.5–2 and 3–4 µs after 20,000 (about 4 s of work), so the ratio
          // measured start-up more than the worker a team runs for days.
          jobWarmup: 20_000,
          // Rounds of fresh processes, for what differs between processes of one variant (a JVM's compiled code). A
          // worker round took about 2.5 minutes, a go-api round about 3, a java-api round about 4.
          jobRounds: 3,
          httpRounds: 3,
        });
      });
    }
    if (want('footprint') && !sections.some(s => s.id === 'footprint')) {
      await section('footprint', async () => {
        if (!built['go-api'])
          throw new Error(`go-api was not built: ${buildErrors.join('\n')}`);
        return footprintSection({
          service: built['go-api'],
          starts: 5,
          wrkSeconds: 5,
          logDir,
          timings,
        });
      });
    }
    if (want('kubernetes')) {
      await section('kubernetes', async () => {
        if (!repos['go-api']) throw new Error('go-api was not generated');
        return kubernetesSection({
          repoDir: repos['go-api'],
          counts: [25, 100, 200],
          requests: 20,
          timings,
        });
      });
    }
    if (want('template-test')) {
      await section('template-test', () => templateTestSection({ runs: 5 }));
    }
  } finally {
    await cleanupAll();
  }

  const totalSeconds = (performance.now() - runStarted) / 1000;
  timings.steps.push({ step: 'total', seconds: totalSeconds });
  const files = writeResults(
    artifactsDir,
    {
      machine,
      selected,
      startedAt: new Date(Date.now() - totalSeconds * 1000).toISOString(),
    },
    `${header}\n- **Sections**: ${selected.join(', ')}; total ${(
      totalSeconds / 60
    ).toFixed(1)} min`,
    sections,
    timings.steps,
  );
  console.log(
    `\nTotal ${(totalSeconds / 60).toFixed(1)} min. Results: ${files.md} and ${
      files.json
    }; service logs in ${logDir}`,
  );
  return sections.some(s => s.error) ? 1 : 0;
}

main().then(
  code => process.exit(code),
  async error => {
    log(`bench failed: ${error instanceof Error ? error.stack : error}`);
    await cleanupAll();
    process.exit(1);
  },
);
