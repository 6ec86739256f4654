// Scans a directory for committed secrets with secretlint's recommended rules (AWS, GCP, GitHub, Slack, private
// keys, basic auth in URLs, ...). Returns the findings as text lines; empty means clean.
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../backend/integration/lib/backendProcess.ts';

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
    join(repoRoot, 'node_modules/.bin/secretlint'),
    ['--secretlintrc', config, '--format', 'unix', '**/*'],
    { cwd: dir, encoding: 'utf8' },
  );
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`secretlint failed (${result.status}): ${result.stderr}`);
  }
  return result.stdout.split('\n').filter(line => line.trim() !== '');
}
