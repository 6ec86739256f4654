// template-test warm: render + static checks of each golden-path template through one in-process engine, against
// a template with built-in actions only (the command's own test fixture) as the baseline. --build is left out.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { repoRoot } from '../../test-utils/src/backendProcess.ts';
import { startEngine, templateTest } from '../../template-test/src/index.ts';
import { median, ms, ratio, type SectionResult } from './report.ts';
import { sampleValues, TEMPLATES } from './services.ts';

export async function templateTestSection(options: {
  runs: number;
}): Promise<Omit<SectionResult, 'seconds'>> {
  const appConfig = YAML.parse(
    readFileSync(join(repoRoot, 'app-config.yaml'), 'utf8'),
  );
  const config = { goldenPath: appConfig.goldenPath };
  const engineStarted = performance.now();
  const engine = await startEngine({
    config,
    modules: ['@backstage/plugin-scaffolder-backend-module-github'],
  });
  const engineMs = performance.now() - engineStarted;
  const cases: Array<[string, string, Record<string, unknown>]> = [
    [
      'plain (baseline)',
      join(repoRoot, 'packages/template-test/test/fixtures/plain'),
      { name: 'bench-lib', owner: 'group:default/team-docs' },
    ],
    ...TEMPLATES.map(
      t =>
        [t, join(repoRoot, 'templates', t), sampleValues(t)] as [
          string,
          string,
          Record<string, unknown>,
        ],
    ),
  ];
  const rows = [];
  const data: Record<string, unknown> = { engineStartMs: engineMs };
  let baseline = NaN;
  try {
    for (const [name, template, values] of cases) {
      const totals: number[] = [];
      const renders: number[] = [];
      const checks: number[] = [];
      // One unmeasured run first: modules load and the kustomize/secretlint binaries reach the page cache.
      for (let i = 0; i <= options.runs; i++) {
        const started = performance.now();
        const report = await templateTest({ template, values, config, engine });
        const total = performance.now() - started;
        if (!report.passed) {
          throw new Error(
            `${name} failed: ${JSON.stringify(
              report.results.filter(r => r.verdict === 'fail'),
            )}`,
          );
        }
        if (i === 0) continue;
        totals.push(total);
        renders.push(report.timings.renderMs ?? NaN);
        checks.push(report.timings.checksMs ?? NaN);
      }
      const total = median(totals);
      if (name.startsWith('plain')) baseline = total;
      rows.push([
        name,
        ms(median(renders)),
        ms(median(checks)),
        ms(total),
        ratio(total, baseline),
      ]);
      data[name] = {
        renderMs: median(renders),
        checksMs: median(checks),
        totalMs: total,
      };
    }
  } finally {
    await engine.stop();
  }
  return {
    id: 'template-test',
    title: '6. template-test, warm (render + checks, no --build)',
    tables: [
      {
        title: `Median of ${options.runs} warm runs per template, one engine`,
        columns: ['Template', 'Render', 'Checks', 'Total', 'vs plain'],
        rows,
        notes: [
          `Engine start (in-process backend: scaffolder, golden-path and GitHub modules, in-memory SQLite), once per command: ${ms(
            engineMs,
          )}.`,
          'Render: the dry-run of the template through the engine and writing the tree. Checks: catalog-info, cost tags, tracing, manifests (each file and a kustomize build per overlay), secret values and a secretlint scan.',
          "plain: the command's own fixture with built-in actions only; the golden-path policy checks do not apply to it.",
        ],
      },
    ],
    data,
    notes: [],
  };
}
