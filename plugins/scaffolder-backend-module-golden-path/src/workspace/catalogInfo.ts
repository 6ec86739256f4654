import { InputError } from '@backstage/errors';
import YAML from 'yaml';
import { readWorkspaceFile, writeWorkspaceFile } from './workspaceFiles';

/**
 * Sets annotations and labels on the entity in the workspace's catalog-info.yaml (the first document), keeping
 * everything else. Fails with a clear message when the file is missing: templates write it first (catalog:write
 * or their skeleton), then our actions add to it.
 */
export async function annotateCatalogInfo(
  workspacePath: string,
  catalogInfoPath: string,
  changes: {
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
  },
): Promise<void> {
  const text = await readWorkspaceFile(workspacePath, catalogInfoPath);
  if (text === undefined) {
    throw new InputError(
      `catalogInfoPath: ${catalogInfoPath} does not exist in the workspace; write it first (catalog:write or the skeleton)`,
    );
  }
  const docs = YAML.parseAllDocuments(text);
  const doc = docs[0];
  if (!doc || doc.errors.length > 0 || !YAML.isMap(doc.contents)) {
    throw new InputError(
      `catalogInfoPath: ${catalogInfoPath} does not hold a catalog entity`,
    );
  }
  for (const [section, values] of Object.entries(changes)) {
    for (const [key, value] of Object.entries(values ?? {})) {
      doc.setIn(['metadata', section, key], value);
    }
  }
  await writeWorkspaceFile(
    workspacePath,
    catalogInfoPath,
    docs.map(d => d.toString({ lineWidth: 0 })).join(''),
  );
}
