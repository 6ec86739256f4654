// Scans a directory for committed secrets with secretlint's recommended rules (AWS, GCP, GitHub, Slack, private
// keys, basic auth in URLs, ...). Returns the findings as text lines; empty means clean.
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fail, pass, type StaticCheck } from './types.ts';

const require = createRequire(import.meta.url);
// secretlint's own CLI, resolved from here, so the scan works on a repository rendered anywhere.
const secretlintCli = join(
  dirname(require.resolve('secretlint/package.json')),
  'bin/secretlint.js',
);

export function scanForSecrets(dir: string): string[] {
  const configDir = mkdtempSync(join(tmpdir(), 'gp-secretlint-'));
  const config = join(configDir, '.secretlintrc.json');
  writeFileSync(
    config,
    JSON.stringify({
      rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }],
    }),
  );
  const result = spawnSync(
    process.execPath,
    [secretlintCli, '--secretlintrc', config, '--format', 'unix', '**/*'],
    { cwd: dir, encoding: 'utf8' },
  );
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`secretlint failed (${result.status}): ${result.stderr}`);
  }
  // One line per finding (path:line:column: ...), then a count line.
  return result.stdout.split('\n').filter(line => /^\S+:\d+:\d+: /.test(line));
}

export const secretScanCheck: StaticCheck = {
  id: 'secret-scan',
  rule: "secretlint's recommended rules find no secret in the repository",
  run(ws) {
    const findings = scanForSecrets(ws.dir);
    return findings.length
      ? findings.map(line => {
          const file = line.startsWith(ws.dir) ? line.slice(ws.dir.length + 1).split(':')[0] : undefined;
          return fail(this, line.startsWith(ws.dir) ? line.slice(ws.dir.length + 1) : line, file);
        })
      : [pass(this)];
  },
};
