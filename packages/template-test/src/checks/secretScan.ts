// Scans a directory for committed secrets with secretlint's recommended rules (AWS, GCP, GitHub, Slack, private
// keys, basic auth in URLs, ...), in-process through secretlint's Node API. Returns the findings as text lines
// (path:line:column: rule, with the secret masked); empty means clean.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fail, pass, type StaticCheck } from './types.ts';

const require = createRequire(import.meta.url);

function filesIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    if (e.name === '.git' || e.name === 'node_modules') return [];
    const path = join(dir, e.name);
    return e.isDirectory() ? filesIn(path) : e.isFile() ? [path] : [];
  });
}

export async function scanForSecrets(dir: string): Promise<string[]> {
  const { createEngine } = (await import(
    require.resolve('@secretlint/node')
  )) as typeof import('@secretlint/node');
  // The config lives outside the scanned tree, so a repository cannot switch its own scan off.
  const config = join(
    mkdtempSync(join(tmpdir(), 'gp-secretlint-')),
    '.secretlintrc.json',
  );
  writeFileSync(
    config,
    JSON.stringify({
      rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }],
    }),
  );
  const engine = await createEngine({
    configFilePath: config,
    formatter: 'unix',
    color: false,
    maskSecrets: true,
    cwd: dir,
  });
  const { output } = await engine.executeOnFiles({
    filePathList: filesIn(dir),
  });
  // One line per finding (path:line:column: ...), then a count line.
  return output.split('\n').filter(line => /^\S+:\d+:\d+: /.test(line));
}

export const secretScanCheck: StaticCheck = {
  id: 'secret-scan',
  rule: "secretlint's recommended rules find no secret in the repository",
  async run(ws) {
    const findings = await scanForSecrets(ws.dir);
    return findings.length
      ? findings.map(line => {
          const local = line.startsWith(`${ws.dir}/`)
            ? line.slice(ws.dir.length + 1)
            : line;
          return fail(
            this,
            local,
            relative(ws.dir, join(ws.dir, local.split(':')[0])),
          );
        })
      : [pass(this)];
  },
};
