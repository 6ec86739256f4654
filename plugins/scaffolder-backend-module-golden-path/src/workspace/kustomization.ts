import YAML from 'yaml';
import { updateYamlFile } from './workspaceFiles';

/** Where the deploy manifests live in a generated repository. */
export const DEPLOY_BASE_DIR = 'deploy/base';
export const overlayDir = (environment: string) =>
  `deploy/overlays/${environment}`;

/**
 * Updates `<dir>/kustomization.yaml`, creating it when missing. The deploy action owns `resources`,
 * `configMapGenerator` of the base and patches; the cost-tags action owns `labels`; each leaves the rest alone.
 */
export async function updateKustomization(
  workspacePath: string,
  dir: string,
  mutate: (doc: YAML.Document) => void,
): Promise<void> {
  await updateYamlFile(
    workspacePath,
    `${dir}/kustomization.yaml`,
    { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization' },
    mutate,
  );
}

/** Replaces the list entry of `key` whose `match` field equals `id` (or appends it). */
export function upsertListEntry(
  doc: YAML.Document,
  key: string,
  match: (entry: any) => boolean,
  entry: object,
): void {
  const list = ((doc.toJS() as any)?.[key] ?? []) as any[];
  const index = list.findIndex(match);
  if (index === -1) {
    list.push(entry);
  } else {
    list[index] = entry;
  }
  doc.set(key, doc.createNode(list));
}
