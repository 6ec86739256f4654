// The command's verdicts on templates copied outside the repository: one with built-in actions only, one of ours,
// a broken step, invalid values, a leaked secret, a missing action and a placeholder that escapes its folder.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import YAML from 'yaml';
import { startEngine, templateTest, type Engine } from '../src/index.ts';
import type { TemplateTestReport } from '../src/run.ts';
import { sampleServiceValues } from '../../test-utils/src/sampleValues.ts';

const fixtures = join(import.meta.dirname, 'fixtures');
const repoRoot = resolve(import.meta.dirname, '../../..');
const appConfig = YAML.parse(
  readFileSync(join(repoRoot, 'app-config.yaml'), 'utf8'),
);

/** A copy of a template in a fresh temp folder, outside this repository. */
function outside(source: string): string {
  const root = mkdtempSync(join(tmpdir(), 'tt-fixture-'));
  const dir = join(root, 'template');
  cpSync(source, dir, { recursive: true });
  // Our templates include the pages and steps they share from ../shared, as in a template repository.
  const shared = join(source, '../shared');
  if (existsSync(shared))
    cpSync(shared, join(root, 'shared'), { recursive: true });
  return dir;
}
const failures = (report: TemplateTestReport) =>
  report.results.filter(r => r.verdict === 'fail');
const verdictOf = (report: TemplateTestReport, check: string) =>
  report.results.filter(r => r.check === check).map(r => r.verdict);

describe('template-test', () => {
  let engine: Engine;
  before(async () => {
    engine = await startEngine({
      config: { goldenPath: appConfig.goldenPath },
    });
  });
  after(() => engine?.stop());

  it('passes a template that uses only built-in actions, with $yaml and $text placeholders resolved like the catalog', async () => {
    const report = await templateTest({
      template: outside(join(fixtures, 'plain')),
      values: { name: 'my-lib', owner: 'group:default/team-docs' },
      engine,
    });
    assert.deepEqual(failures(report), []);
    assert.ok(report.passed);
    assert.equal(
      readFileSync(join(report.outputDir!, 'README.md'), 'utf8'),
      '# my-lib\n\nOwned by group:default/team-docs.\n',
    );
    assert.deepEqual(verdictOf(report, 'catalog-info'), ['pass']);
    // Not a golden-path template: the policy checks say why they do not apply.
    assert.deepEqual(verdictOf(report, 'cost-tags'), ['skip']);
    assert.match(
      report.results.find(r => r.check === 'steps' && r.verdict === 'skip')!
        .message!,
      /publish/,
    );
  });

  it('fails invalid values against the template schema, naming the page and the rule, and renders nothing', async () => {
    const report = await templateTest({
      template: outside(join(fixtures, 'plain')),
      values: { name: 'My Lib' },
      engine,
    });
    assert.equal(report.passed, false);
    assert.equal(report.outputDir, undefined);
    const messages = failures(report).map(r => r.message);
    assert.ok(
      messages.some(m =>
        /parameters\[0\] \(Component\): values.name does not match pattern/.test(
          m!,
        ),
      ),
      messages.join('\n'),
    );
    assert.ok(
      messages.some(m => /requires property "owner"/.test(m!)),
      messages.join('\n'),
    );
  });

  it('fails a broken step with the action error', async () => {
    const report = await templateTest({
      template: outside(join(fixtures, 'broken-step')),
      values: {},
      engine,
    });
    assert.equal(report.passed, false);
    const [failure] = failures(report);
    assert.equal(failure.check, 'steps');
    assert.match(failure.message!, /does-not-exist\.md/);
  });

  it('fails an output that leaks a canary secret, in both the value check and the secret scan', async () => {
    const canary = `ghp_${'wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx'}`;
    const report = await templateTest({
      template: outside(join(fixtures, 'leaky')),
      values: {},
      secrets: { githubToken: canary },
      engine,
    });
    assert.equal(report.passed, false);
    const leaked = failures(report);
    assert.deepEqual(
      leaked.map(r => [r.check, r.file]),
      [
        ['secret-values', 'config.env'],
        ['secret-scan', 'config.env'],
      ],
    );
    assert.match(leaked[0].message!, /holds the value of secret githubToken/);
    assert.ok(
      !JSON.stringify(report.results).includes(canary),
      'the report repeats the secret',
    );
  });

  it('names a missing action and the module that provides it', async () => {
    const dir = outside(join(fixtures, 'plain'));
    const template = YAML.parse(
      readFileSync(join(dir, 'template.yaml'), 'utf8'),
    );
    template.spec.steps.push({
      id: 'utils',
      action: 'roadiehq:utils:fs:write',
      input: {},
    });
    writeFileSync(join(dir, 'template.yaml'), YAML.stringify(template));
    const report = await templateTest({
      template: dir,
      values: { name: 'my-lib', owner: 'group:default/team-docs' },
      engine,
    });
    const [failure] = failures(report);
    assert.equal(failure.check, 'actions');
    assert.match(
      failure.message!,
      /step utils: action roadiehq:utils:fs:write is not installed; install @roadiehq\/scaffolder-backend-module-utils .*--module @roadiehq\/scaffolder-backend-module-utils/,
    );
  });

  it('refuses a placeholder that reads outside the template folder', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tt-escape-'));
    // A template may include files from its own folder and its parent's (templates/shared); escape reads from
    // the folder above that.
    cpSync(join(fixtures, 'escape'), join(root, 'templates/escape'), {
      recursive: true,
    });
    cpSync(join(fixtures, 'plain'), join(root, 'plain'), { recursive: true });
    const report = await templateTest({
      template: join(root, 'templates/escape'),
      values: {},
      engine,
    });
    const [failure] = failures(report);
    assert.equal(failure.check, 'template');
    assert.match(
      failure.message!,
      /Placeholder \$text could not read location \.\.\/\.\.\/plain\/description\.txt.*outside/,
    );
  });

  it('passes go-api, our golden-path template, with every policy check applied; golden files catch a change', async () => {
    const dir = outside(join(repoRoot, 'templates/go-api'));
    const values = {
      name: 'sample-go',
      description: 'A sample',
      ...sampleServiceValues(),
      secrets: ['DB_PASSWORD'],
    };
    const report = await templateTest({
      template: dir,
      values,
      secrets: { DB_PASSWORD: 'canary-1234567' },
      engine,
      snapshot: 'update',
    });
    assert.deepEqual(failures(report), []);
    for (const check of [
      'catalog-info',
      'cost-tags',
      'tracing',
      'manifests',
      'secret-values',
      'secret-scan',
    ]) {
      assert.ok(
        verdictOf(report, check).every(v => v === 'pass') &&
          verdictOf(report, check).length > 0,
        check,
      );
    }
    assert.ok(existsSync(join(dir, '__snapshots__/deploy/base/otel.env')));

    const again = await templateTest({
      template: dir,
      values,
      engine,
      snapshot: 'compare',
    });
    assert.deepEqual(verdictOf(again, 'snapshot'), ['pass']);
    const changed = await templateTest({
      template: dir,
      values: { ...values, description: 'Changed' },
      engine,
      snapshot: 'compare',
    });
    const diff = failures(changed).find(
      r => r.check === 'snapshot' && r.file === 'catalog-info.yaml',
    );
    assert.ok(diff, JSON.stringify(failures(changed)));
    assert.match(
      diff.message!,
      /-  description: A sample\n\+  description: Changed/,
    );
  });
});

describe('template-test command', () => {
  const bin = join(import.meta.dirname, '../bin/template-test.ts');
  it('exits 0 with a summary line and JUnit XML for a passing template, 1 for invalid values', () => {
    const dir = outside(join(fixtures, 'plain'));
    const work = mkdtempSync(join(tmpdir(), 'tt-cli-'));
    writeFileSync(
      join(work, 'values.yaml'),
      'name: my-lib\nowner: group:default/team-docs\n',
    );
    const ok = spawnSync(
      process.execPath,
      [
        bin,
        dir,
        '--values',
        join(work, 'values.yaml'),
        '--junit',
        join(work, 'junit.xml'),
      ],
      { cwd: work, encoding: 'utf8' },
    );
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.match(
      ok.stdout,
      /^PASS plain-library: \d+ passed, 0 failed, \d+ skipped/m,
    );
    assert.match(
      readFileSync(join(work, 'junit.xml'), 'utf8'),
      /<testsuite name="plain-library" tests="\d+" failures="0"/,
    );

    writeFileSync(join(work, 'bad.yaml'), 'name: My Lib\nowner: x\n');
    const bad = spawnSync(
      process.execPath,
      [bin, dir, '--values', join(work, 'bad.yaml')],
      { cwd: work, encoding: 'utf8' },
    );
    assert.equal(bad.status, 1, bad.stdout + bad.stderr);
    assert.match(
      bad.stdout,
      /✗ parameters template.yaml — parameter values are valid against the template's own schema: parameters\[0\] \(Component\): values.name does not match pattern/,
    );
    assert.match(bad.stdout, /^FAIL plain-library: \d+ passed, 1 failed/m);
  });
});
