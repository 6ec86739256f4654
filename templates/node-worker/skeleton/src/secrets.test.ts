import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadSecrets, secretNames } from './secrets.ts';

const root = mkdtempSync(join(tmpdir(), 'secrets-test-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('secrets from files', () => {
  it('reads one secret per file, trimming the trailing newline', async () => {
    const dir = join(root, 'ok');
    mkdirSync(dir);
    writeFileSync(join(dir, 'NATS_TOKEN'), 's3cret\n');
    writeFileSync(join(dir, 'API_KEY'), 'line1\nline2\r\n');
    assert.deepEqual(Object.fromEntries(await loadSecrets(dir)), { API_KEY: 'line1\nline2', NATS_TOKEN: 's3cret' });
  });

  it('follows Kubernetes secret-volume symlinks and skips its dot entries', async () => {
    // A mounted Secret: NAME -> ..data/NAME, ..data -> ..2026_01_01_00_00_00.123/
    const dir = join(root, 'k8s');
    const version = join(dir, '..2026_01_01_00_00_00.123');
    mkdirSync(version, { recursive: true });
    writeFileSync(join(version, 'DB_PASSWORD'), 'pw');
    symlinkSync('..2026_01_01_00_00_00.123', join(dir, '..data'));
    symlinkSync(join('..data', 'DB_PASSWORD'), join(dir, 'DB_PASSWORD'));
    const secrets = await loadSecrets(dir);
    assert.deepEqual(secretNames(secrets), ['DB_PASSWORD']);
    assert.equal(secrets.get('DB_PASSWORD'), 'pw');
  });

  it('treats a missing directory as no secrets', async () => {
    assert.equal((await loadSecrets(join(root, 'missing'))).size, 0);
  });

  it('refuses a file name that is not env-var-safe', async () => {
    const dir = join(root, 'bad');
    mkdirSync(dir);
    writeFileSync(join(dir, 'db-password'), 'x');
    await assert.rejects(loadSecrets(dir), /"db-password" is not env-var-safe/);
  });
});
