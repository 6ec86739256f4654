// One template test: load the template, check the values against its own schema (as the backend does before it
// runs a task), render it through the engine, then run the static checks, the golden files and, if asked, the build.
import { mkdirSync, mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { JsonObject } from '@backstage/types';
import {
  requireWorkspace as require,
  goldenPathCommon,
} from './workspacePackages.ts';
import { loadTemplate, type LoadedTemplate } from './template.ts';
import {
  moduleHintFor,
  startEngine,
  type Engine,
  type EngineOptions,
} from './engine.ts';
import { staticChecks as defaultChecks } from './checks/index.ts';
import type { CheckResult, StaticCheck, Workspace } from './checks/types.ts';
import { compareSnapshot } from './snapshot.ts';
import { buildAndRun } from './build.ts';

const jsonschema = require('jsonschema') as typeof import('jsonschema');
const { ConfigReader } =
  require('@backstage/config') as typeof import('@backstage/config');

export type TemplateTestOptions = {
  /** The template folder (or its template.yaml). */
  template: string;
  values: Record<string, unknown>;
  secrets?: Record<string, string>;
  /** Backstage config the actions read, e.g. the portal's `goldenPath` policy. */
  config?: JsonObject;
  /** A running engine to reuse (warm runs); else one is started and stopped for this test. */
  engine?: Engine;
  engineOptions?: Omit<EngineOptions, 'config'>;
  /** Where to write the rendered repository; a temp folder by default. */
  outputDir?: string;
  /** Compare with (`compare`) or rewrite (`update`) the golden files in `snapshotDir`. */
  snapshot?: 'compare' | 'update';
  snapshotDir?: string;
  /** Build, test and run what the template generates, as its metadata declares. */
  build?: boolean;
  checks?: StaticCheck[];
  /** Progress lines (a step, a build command); silent by default. */
  progress?: (line: string) => void;
};

export type TemplateTestReport = {
  template: string;
  name?: string;
  /** The rendered repository, when rendering succeeded. */
  outputDir?: string;
  results: CheckResult[];
  passed: boolean;
  timings: { renderMs?: number; checksMs?: number; buildMs?: number };
  log: string[];
};

const result = (
  check: string,
  rule: string,
  verdict: CheckResult['verdict'],
  message?: string,
  file?: string,
): CheckResult => ({
  check,
  rule,
  verdict,
  ...(message ? { message } : {}),
  ...(file ? { file } : {}),
});

/** The same validation the scaffolder backend applies to a task's values and secrets before it runs anything. */
export function validateValues(
  template: LoadedTemplate,
  values: Record<string, unknown>,
  secrets: Record<string, string>,
): CheckResult[] {
  const rule = "parameter values are valid against the template's own schema";
  const results: CheckResult[] = [];
  for (const [i, step] of [template.entity.spec.parameters ?? []]
    .flat()
    .entries()) {
    const outcome = jsonschema.validate(values, step as any);
    const title = (step as any)?.title ? ` (${(step as any).title})` : '';
    for (const error of outcome.errors) {
      results.push(
        result(
          'parameters',
          rule,
          'fail',
          `parameters[${i}]${title}: ${error.stack.replace(
            /^instance/,
            'values',
          )}`,
          'template.yaml',
        ),
      );
    }
  }
  const secretsSchema = template.entity.spec.secrets?.schema;
  if (secretsSchema) {
    for (const error of jsonschema.validate(secrets, secretsSchema as any)
      .errors) {
      // The property path names the key; the value itself is never printed.
      results.push(
        result(
          'parameters',
          rule,
          'fail',
          `spec.secrets.schema: ${error.property.replace(
            /^instance/,
            'secrets',
          )} ${error.message}`,
          'template.yaml',
        ),
      );
    }
  }
  return results.length
    ? results
    : [result('parameters', rule, 'pass', undefined, 'template.yaml')];
}

export async function templateTest(
  options: TemplateTestOptions,
): Promise<TemplateTestReport> {
  const report: TemplateTestReport = {
    template: options.template,
    results: [],
    passed: false,
    timings: {},
    log: [],
  };
  const done = () => {
    report.passed = report.results.every(r => r.verdict !== 'fail');
    return report;
  };
  const secrets = options.secrets ?? {};
  let template: LoadedTemplate;
  try {
    template = await loadTemplate(options.template);
  } catch (error) {
    report.results.push(
      result(
        'template',
        'template.yaml is a valid Template',
        'fail',
        (error as Error).message,
        'template.yaml',
      ),
    );
    return done();
  }
  report.name = template.entity.metadata.name;
  report.results.push(
    result(
      'template',
      'template.yaml is a valid Template',
      'pass',
      undefined,
      'template.yaml',
    ),
  );

  const valuesResults = validateValues(template, options.values, secrets);
  report.results.push(...valuesResults);
  if (valuesResults.some(r => r.verdict === 'fail')) return done(); // the backend would refuse the task

  const started = performance.now();
  const engine =
    options.engine ??
    (await startEngine({
      ...options.engineOptions,
      config: options.config,
      resolveFrom: template.dir,
    }));
  try {
    const installed = new Set(await engine.actions());
    const actionsRule = 'every step that runs uses an installed action';
    const missing = template.entity.spec.steps.filter(
      s => !installed.has(s.action),
    );
    for (const step of missing) {
      // The engine looks an action up only when its step runs, so a step these values skip does not need it.
      const message = `step ${step.id ?? step.name}: action ${
        step.action
      } is not installed; ${moduleHintFor(step.action)}`;
      report.results.push(
        step.if === undefined
          ? result('actions', actionsRule, 'fail', message, 'template.yaml')
          : result(
              'actions',
              actionsRule,
              'skip',
              `${message} (only needed when its "if" holds)`,
              'template.yaml',
            ),
      );
    }
    if (missing.some(s => s.if === undefined)) return done();
    if (!missing.length)
      report.results.push(
        result('actions', actionsRule, 'pass', undefined, 'template.yaml'),
      );

    const rendered = await engine.dryRun({
      template: template.entity,
      values: options.values,
      secrets,
      files: template.files.filter(f => !f.path.startsWith('__snapshots__/')),
    });
    report.timings.renderMs = performance.now() - started;
    const stepsRule = 'every step succeeds';
    if (!rendered.ok) {
      const notInstalled = rendered.error.match(
        /Template action with ID '([^']+)' is not registered/,
      );
      report.results.push(
        notInstalled
          ? result(
              'actions',
              'every step that runs uses an installed action',
              'fail',
              `action ${notInstalled[1]} is not installed; ${moduleHintFor(
                notInstalled[1],
              )}`,
              'template.yaml',
            )
          : result('steps', stepsRule, 'fail', rendered.error, 'template.yaml'),
      );
      return done();
    }
    report.log = rendered.log.map(l =>
      l.stepId ? `[${l.stepId}] ${l.message}` : l.message,
    );
    for (const step of rendered.steps) {
      const entries = rendered.log.filter(l => l.stepId === step.id);
      const status = entries
        .map(l => l.status)
        .filter(Boolean)
        .pop();
      const skipped =
        status === 'skipped'
          ? entries.find(l => l.status === 'skipped')?.message
          : undefined;
      report.results.push(
        result(
          'steps',
          stepsRule,
          status === 'failed' ? 'fail' : skipped ? 'skip' : 'pass',
          skipped
            ? `step ${step.id}: ${skipped}`
            : `step ${step.id} (${step.action})`,
          'template.yaml',
        ),
      );
    }

    const outputDir =
      options.outputDir ??
      join(
        mkdtempSync(join(tmpdir(), 'template-test-')),
        template.entity.metadata.name,
      );
    mkdirSync(outputDir, { recursive: true });
    const executables = new Set(
      template.files
        .filter(f => f.executable)
        .map(f => f.content.toString('base64')),
    );
    for (const file of rendered.files) {
      const path = join(outputDir, file.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.content);
      // The dry-run upload carries no file modes: a rendered file identical to an executable template file (a
      // Maven or Gradle wrapper, a script) keeps its executable bit.
      if (file.executable || executables.has(file.content.toString('base64'))) {
        chmodSync(path, 0o755);
      }
    }
    report.outputDir = outputDir;

    const checksStarted = performance.now();
    const workspace: Workspace = {
      template,
      dir: outputDir,
      files: rendered.files.map(f => f.path).sort(),
      values: options.values,
      secrets,
      log: report.log,
      policy: goldenPathCommon.readGoldenPathPolicy(
        new ConfigReader(options.config ?? {}),
      ),
    };
    for (const check of options.checks ?? defaultChecks) {
      const reason = check.appliesTo?.(workspace);
      if (reason) {
        report.results.push(result(check.id, check.rule, 'skip', reason));
        continue;
      }
      try {
        report.results.push(...(await check.run(workspace)));
      } catch (error) {
        report.results.push(
          result(check.id, check.rule, 'fail', (error as Error).message),
        );
      }
    }
    if (options.snapshot) {
      report.results.push(
        ...compareSnapshot(
          workspace,
          options.snapshotDir ?? join(template.dir, '__snapshots__'),
          options.snapshot === 'update',
        ),
      );
    }
    report.timings.checksMs = performance.now() - checksStarted;

    if (options.build) {
      const buildStarted = performance.now();
      report.results.push(...(await buildAndRun(workspace, options.progress)));
      report.timings.buildMs = performance.now() - buildStarted;
    }
    return done();
  } finally {
    if (!options.engine) await engine.stop();
  }
}
