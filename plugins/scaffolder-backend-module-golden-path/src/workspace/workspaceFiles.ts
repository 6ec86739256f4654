import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import fs from 'fs-extra';
import { dirname } from 'node:path';
import YAML from 'yaml';

// Actions share some files (catalog-info.yaml, kustomizations, otel.env). Each action owns certain keys of a
// shared file and updates only those, so the actions can run in any order and any number of times.

/** Absolute path of `relativePath` inside the workspace; throws for paths that escape it. */
export function workspaceFile(
  workspacePath: string,
  relativePath: string,
): string {
  return resolveSafeChildPath(workspacePath, relativePath);
}

export async function readWorkspaceFile(
  workspacePath: string,
  relativePath: string,
): Promise<string | undefined> {
  const path = workspaceFile(workspacePath, relativePath);
  return (await fs.pathExists(path)) ? fs.readFile(path, 'utf8') : undefined;
}

export async function writeWorkspaceFile(
  workspacePath: string,
  relativePath: string,
  content: string,
  options: { onlyIfMissing?: boolean; mode?: number } = {},
): Promise<boolean> {
  const path = workspaceFile(workspacePath, relativePath);
  if (options.onlyIfMissing && (await fs.pathExists(path))) {
    return false;
  }
  await fs.ensureDir(dirname(path));
  await fs.writeFile(path, content, { mode: options.mode });
  return true;
}

/** Writes Kubernetes-style YAML documents (one or many) to a file. */
export async function writeYamlDocuments(
  workspacePath: string,
  relativePath: string,
  documents: object[],
): Promise<void> {
  const text = documents
    .map(doc => YAML.stringify(doc, { lineWidth: 0 }))
    .join('---\n');
  await writeWorkspaceFile(workspacePath, relativePath, text);
}

/**
 * Reads a YAML file (or starts from `initial` when it does not exist), lets `mutate` change it, and writes it back
 * keeping comments and key order.
 */
export async function updateYamlFile(
  workspacePath: string,
  relativePath: string,
  initial: object,
  mutate: (doc: YAML.Document) => void,
): Promise<void> {
  const existing = await readWorkspaceFile(workspacePath, relativePath);
  const doc = existing
    ? YAML.parseDocument(existing)
    : new YAML.Document(initial);
  if (doc.errors.length > 0) {
    throw new Error(
      `${relativePath} is not valid YAML: ${doc.errors[0].message}`,
    );
  }
  mutate(doc);
  await writeWorkspaceFile(
    workspacePath,
    relativePath,
    doc.toString({ lineWidth: 0 }),
  );
}

/** Appends the lines that a text file (e.g. .gitignore) does not have yet. */
export async function ensureLines(
  workspacePath: string,
  relativePath: string,
  lines: string[],
): Promise<void> {
  const existing = (await readWorkspaceFile(workspacePath, relativePath)) ?? '';
  const have = new Set(existing.split('\n').map(l => l.trim()));
  const missing = lines.filter(l => !have.has(l.trim()));
  if (missing.length === 0) {
    return;
  }
  const separator = existing === '' || existing.endsWith('\n') ? '' : '\n';
  await writeWorkspaceFile(
    workspacePath,
    relativePath,
    `${existing}${separator}${missing.join('\n')}\n`,
  );
}
