import { readWorkspaceFile, writeWorkspaceFile } from './workspaceFiles';

/**
 * Sets `KEY=value` lines in a dotenv-style file (as read by kustomize's configMapGenerator `envs`), keeping every
 * other line. A value of undefined removes the key.
 */
export async function upsertEnvFile(
  workspacePath: string,
  relativePath: string,
  entries: Record<string, string | undefined>,
  header?: string,
): Promise<void> {
  const existing = await readWorkspaceFile(workspacePath, relativePath);
  const lines =
    existing
      ?.split('\n')
      .filter((line, i, all) => line !== '' || i < all.length - 1) ??
    (header ? header.split('\n').map(l => `# ${l}`) : []);
  const pending = new Map(Object.entries(entries));
  const updated = lines.flatMap(line => {
    const key = line.match(/^([A-Za-z_][A-Za-z0-9_]*)=/)?.[1];
    if (!key || !pending.has(key)) {
      return [line];
    }
    const value = pending.get(key);
    pending.delete(key);
    return value === undefined ? [] : [`${key}=${envValue(key, value)}`];
  });
  for (const [key, value] of pending) {
    if (value !== undefined) {
      updated.push(`${key}=${envValue(key, value)}`);
    }
  }
  await writeWorkspaceFile(
    workspacePath,
    relativePath,
    `${updated.join('\n')}\n`,
  );
}

/** Parses a dotenv-style file into its entries (comments and blank lines skipped). */
export function parseEnvFile(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .map(line => line.match(/^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/))
      .filter((m): m is RegExpMatchArray => m !== null)
      .map(m => [m[1], m[2]]),
  );
}

function envValue(key: string, value: string): string {
  // kustomize reads env files line by line without quoting rules: a newline would split the entry.
  if (/[\r\n]/.test(value)) {
    throw new Error(`${key} must be a single line`);
  }
  return value;
}
