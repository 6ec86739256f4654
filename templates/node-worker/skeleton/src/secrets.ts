// Secrets mounted as files, one file per secret.
//
// The platform mounts a Kubernetes Secret (created by External Secrets Operator, or files written by the Vault
// agent) read-only at SECRETS_DIR; each key becomes a file named after it, e.g. /var/run/secrets/app/NATS_TOKEN.
// Locally, put the same files under ./.secrets (gitignored) and set SECRETS_DIR=./.secrets.
//
// Never log secret values; log secretNames(secrets) instead.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

export type Secrets = ReadonlyMap<string, string>;

/** Guards against reading something that is not a secret by mistake. */
const MAX_SIZE = 1 << 20;
/** An env-var-safe secret name such as DB_PASSWORD. */
const VALID_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Reads every secret file in `dir`: name → value, trailing newlines trimmed.
 *
 * A missing directory is not an error (local development without secrets) and yields no secrets. Entries starting
 * with "." are skipped: Kubernetes keeps its atomic-update machinery there (..data, ..2024_…). Symlinks are
 * followed, which is how mounted Secret keys appear. A file name that is not env-var-safe is an error, so a wrongly
 * named key fails at startup instead of being silently ignored.
 */
export async function loadSecrets(dir: string): Promise<Secrets> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw new Error(`secrets: read dir ${dir}: ${(error as Error).message}`);
  }
  const secrets = new Map<string, string>();
  for (const name of entries.sort()) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    const info = await stat(path); // follows symlinks
    if (info.isDirectory()) continue;
    if (!VALID_NAME.test(name)) {
      throw new Error(
        `secrets: file ${path}: name ${JSON.stringify(name)} is not env-var-safe (want letters, digits and _ like DB_PASSWORD)`,
      );
    }
    if (info.size > MAX_SIZE) {
      throw new Error(`secrets: file ${path} is larger than ${MAX_SIZE} bytes`);
    }
    secrets.set(name, (await readFile(path, 'utf8')).replace(/[\r\n]+$/, ''));
  }
  return secrets;
}

/** The sorted secret names, safe to log. */
export function secretNames(secrets: Secrets): string[] {
  return [...secrets.keys()].sort();
}
