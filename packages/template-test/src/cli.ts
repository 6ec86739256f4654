// template-test <template-folder> --values values.yaml [--secrets secrets.yaml] [--config app-config.yaml]
//   [--module <backend-module-package>]... [--catalog entities.yaml] [--build] [--snapshot [dir] | --update]
//   [--out dir] [--junit report.xml] [--json report.json]
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import YAML from 'yaml';
import type { JsonObject } from '@backstage/types';
import { junitXml } from './junit.ts';
import { templateTest, type TemplateTestReport } from './run.ts';

export const USAGE = `Usage: template-test <template-folder> [options]

Renders a Backstage software template through the real scaffolder engine (in-process, no portal) and checks
what it generates.

  --values <file>      YAML/JSON with the form values (default: none)
  --secrets <file>     YAML/JSON with the task secrets; their values must not reach the output
  --config <file>      app-config whose goldenPath, scaffolder and integrations keys the actions read (repeatable)
  --module <package>   an extra scaffolder backend module to install, e.g. @roadiehq/scaffolder-backend-module-utils
  --catalog <file>     entities (YAML documents) the catalog answers with, e.g. the owner groups
  --build              build, test and run the output as metadata.templateTest declares, and check its span
  --snapshot [dir]     compare the rendered tree with the golden files (default <template>/__snapshots__)
  --update             rewrite the golden files
  --out <dir>          write the rendered repository here (default: a temp folder)
  --junit <file>       write a JUnit XML report
  --json <file>        write the report as JSON
`;

// `yarn template-test` runs from the repository root; paths are meant from where the user typed the command.
const here = (path: string) =>
  resolve(process.env.INIT_CWD ?? process.cwd(), path);

const readData = (file: string) => {
  const text = readFileSync(here(file), 'utf8');
  return YAML.parseAllDocuments(text).map(d => d.toJS());
};

const CONFIG_KEYS = ['goldenPath', 'scaffolder', 'integrations'];

export function formatReport(report: TemplateTestReport): string {
  const lines = [`template ${report.name ?? report.template}`];
  for (const r of report.results) {
    const mark = r.verdict === 'pass' ? '✓' : r.verdict === 'fail' ? '✗' : '-';
    const where = r.file ? ` ${r.file}` : '';
    const detail = r.message ? `: ${r.message}` : '';
    if (r.verdict === 'fail') {
      lines.push(
        `  ${mark} ${r.check}${where} — ${r.rule}${detail.replace(
          /\n/g,
          '\n      ',
        )}`,
      );
    } else {
      lines.push(`  ${mark} ${r.check}${where}${detail.split('\n')[0]}`);
    }
  }
  return lines.join('\n');
}

export function summaryLine(report: TemplateTestReport): string {
  const count = (v: string) =>
    report.results.filter(r => r.verdict === v).length;
  const t = report.timings;
  const time = [
    t.renderMs !== undefined
      ? `render ${Math.round(t.renderMs)} ms`
      : undefined,
    t.checksMs !== undefined
      ? `checks ${Math.round(t.checksMs)} ms`
      : undefined,
    t.buildMs !== undefined
      ? `build ${(t.buildMs / 1000).toFixed(1)} s`
      : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  return `${report.passed ? 'PASS' : 'FAIL'} ${
    report.name ?? report.template
  }: ${count('pass')} passed, ${count('fail')} failed, ${count(
    'skip',
  )} skipped${time ? ` (${time})` : ''}`;
}

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        values: { type: 'string' },
        secrets: { type: 'string' },
        config: { type: 'string', multiple: true },
        module: { type: 'string', multiple: true },
        catalog: { type: 'string' },
        build: { type: 'boolean' },
        snapshot: { type: 'boolean' },
        'snapshot-dir': { type: 'string' },
        update: { type: 'boolean' },
        out: { type: 'string' },
        junit: { type: 'string' },
        json: { type: 'string' },
        help: { type: 'boolean' },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values: flags, positionals } = parsed;
  if (flags.help || positionals.length !== 1) {
    process.stderr.write(USAGE);
    return flags.help ? 0 : 2;
  }
  let options;
  try {
    const config: JsonObject = {};
    for (const file of flags.config ?? []) {
      const data = readData(file)[0] ?? {};
      for (const key of CONFIG_KEYS)
        if (data[key] !== undefined) config[key] = data[key];
    }
    options = {
      template: here(positionals[0]),
      values: flags.values ? readData(flags.values)[0] ?? {} : {},
      secrets: flags.secrets ? readData(flags.secrets)[0] ?? {} : {},
      config,
      engineOptions: {
        modules: flags.module ?? [],
        catalogEntities: flags.catalog
          ? readData(flags.catalog).filter(Boolean)
          : [],
      },
      outputDir: flags.out ? here(flags.out) : undefined,
      snapshot: flags.update
        ? ('update' as const)
        : flags.snapshot
        ? ('compare' as const)
        : undefined,
      snapshotDir: flags['snapshot-dir']
        ? here(flags['snapshot-dir'])
        : undefined,
      build: flags.build ?? false,
      progress: (line: string) => process.stderr.write(`  ${line}\n`),
    };
  } catch (error) {
    process.stderr.write(`template-test: ${(error as Error).message}\n`);
    return 2;
  }
  const report = await templateTest(options);
  process.stdout.write(`${formatReport(report)}\n`);
  if (report.outputDir)
    process.stdout.write(`rendered into ${report.outputDir}\n`);
  process.stdout.write(`${summaryLine(report)}\n`);
  if (flags.junit) writeFileSync(here(flags.junit), junitXml([report]));
  if (flags.json)
    writeFileSync(here(flags.json), JSON.stringify(report, null, 2));
  return report.passed ? 0 : 1;
}
