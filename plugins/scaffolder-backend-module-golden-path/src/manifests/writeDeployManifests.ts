import { GoldenPathPolicy } from '@golden-path/common';
import fs from 'fs-extra';
// Shared with the cost-tags action, which imports them from there too; whoever creates otel.env writes the same header.
import { OTEL_ENV_FILE, OTEL_ENV_HEADER } from '../workspace/otelEnv';
import { upsertEnvFile } from '../workspace/envFile';
import {
  DEPLOY_BASE_DIR,
  overlayDir,
  updateKustomization,
  upsertListEntry,
} from '../workspace/kustomization';
import { workspaceFile, writeYamlDocuments } from '../workspace/workspaceFiles';
import { ManifestObject, otelConfigMapName } from './common';
import { externalSecretPath, writeExternalSecrets } from './externalSecret';
import { fluxDocuments, fluxFilePath } from './flux';
import { buildNetworkPolicies } from './networkPolicies';
import {
  WorkloadSpec,
  buildDeployment,
  buildHorizontalPodAutoscaler,
  buildNamespace,
  buildPodDisruptionBudget,
  buildService,
  buildServiceAccount,
} from './workload';
import { orderKeys, readList, setList } from './yamlDocument';

/** `otel.env` relative to the base, as the configMapGenerator lists it. */
const OTEL_ENV_FILE_NAME = 'otel.env';

/**
 * The namespace an app runs in: its own name, the same in every environment, because each environment is its own
 * cluster with its own Flux. One app per namespace is what makes the namespace-wide default-deny policy safe.
 */
export const appNamespace = (name: string) => name;

/** The files of the base this module writes, in `resources` order; `service.yaml` only for a service. */
const BASE_RESOURCE_FILES = [
  'namespace.yaml',
  'serviceaccount.yaml',
  'deployment.yaml',
  'service.yaml',
  'hpa.yaml',
  'pdb.yaml',
  'networkpolicies.yaml',
] as const;

/** The base objects of an app, by the file they are written to (relative to `deploy/base`). */
export function baseManifests(spec: WorkloadSpec): Array<{
  file: (typeof BASE_RESOURCE_FILES)[number];
  objects: ManifestObject[];
}> {
  return [
    { file: 'namespace.yaml' as const, objects: [buildNamespace(spec)] },
    {
      file: 'serviceaccount.yaml' as const,
      objects: [buildServiceAccount(spec)],
    },
    { file: 'deployment.yaml' as const, objects: [buildDeployment(spec)] },
    ...(spec.workload === 'service'
      ? [{ file: 'service.yaml' as const, objects: [buildService(spec)] }]
      : []),
    {
      file: 'hpa.yaml' as const,
      objects: [buildHorizontalPodAutoscaler(spec)],
    },
    { file: 'pdb.yaml' as const, objects: [buildPodDisruptionBudget(spec)] },
    {
      file: 'networkpolicies.yaml' as const,
      objects: buildNetworkPolicies(spec),
    },
  ];
}

/**
 * Writes the deploy manifests of an app into the workspace and returns the paths written, relative to it and sorted:
 *
 * - `deploy/base/`: one file per object kind, `otel.env` (created when missing, never overwritten) and a
 *   kustomization whose `resources` and `configMapGenerator` entry `<name>-otel` this function owns;
 * - `deploy/overlays/<env>/`: a kustomization with `namespace` and `resources` (the base and, with secrets, the
 *   environment's `external-secret.yaml`);
 * - `deploy/flux/<env>.yaml`: the Flux GitRepository and Kustomization that apply the overlay.
 *
 * Keys other actions own in the shared kustomizations (`labels`, the overlays' `configMapGenerator`) are kept, so
 * the actions can run in any order and any number of times with the same result. Validate inputs first.
 */
export async function writeDeployManifests(
  workspacePath: string,
  options: {
    spec: WorkloadSpec;
    environments: readonly string[];
    policy: GoldenPathPolicy;
    gitUrl: string;
  },
): Promise<string[]> {
  const { spec, environments, policy, gitUrl } = options;
  const { name } = spec;
  const written: string[] = [];

  const base = baseManifests(spec);
  for (const { file, objects } of base) {
    await writeYamlDocuments(
      workspacePath,
      `${DEPLOY_BASE_DIR}/${file}`,
      objects,
    );
    written.push(`${DEPLOY_BASE_DIR}/${file}`);
  }
  if (spec.workload === 'worker') {
    // Left over when the app used to be a service.
    await fs.remove(
      workspaceFile(workspacePath, `${DEPLOY_BASE_DIR}/service.yaml`),
    );
  }

  await upsertEnvFile(workspacePath, OTEL_ENV_FILE, {}, OTEL_ENV_HEADER);
  written.push(OTEL_ENV_FILE);

  const otelName = otelConfigMapName(name);
  await updateKustomization(workspacePath, DEPLOY_BASE_DIR, doc => {
    const mine = new Set<unknown>(BASE_RESOURCE_FILES);
    setList(doc, 'resources', [
      ...base.map(({ file }) => file),
      ...readList(doc, 'resources').filter(entry => !mine.has(entry)),
    ]);
    const isOtel = (entry: any) => entry?.name === otelName;
    const current: any = readList(doc, 'configMapGenerator').find(isOtel) ?? {};
    const envs: unknown[] = Array.isArray(current.envs) ? current.envs : [];
    upsertListEntry(doc, 'configMapGenerator', isOtel, {
      ...current,
      name: otelName,
      envs: envs.includes(OTEL_ENV_FILE_NAME)
        ? envs
        : [...envs, OTEL_ENV_FILE_NAME],
    });
    orderKeys(doc, ['apiVersion', 'kind', 'resources', 'configMapGenerator']);
  });
  written.push(`${DEPLOY_BASE_DIR}/kustomization.yaml`);

  for (const environment of environments) {
    await updateKustomization(workspacePath, overlayDir(environment), doc => {
      doc.set('namespace', appNamespace(name));
      setList(doc, 'resources', [
        '../../base',
        ...readList(doc, 'resources').filter(entry => entry !== '../../base'),
      ]);
      orderKeys(doc, ['apiVersion', 'kind', 'namespace', 'resources']);
    });
    written.push(`${overlayDir(environment)}/kustomization.yaml`);
  }

  const secretFiles = await writeExternalSecrets(workspacePath, {
    name,
    secrets: spec.secrets,
    environments,
    policy,
  });

  for (const environment of environments) {
    if (secretFiles.includes(externalSecretPath(environment))) {
      written.push(externalSecretPath(environment));
    }
    await writeYamlDocuments(
      workspacePath,
      fluxFilePath(environment),
      fluxDocuments({
        name,
        environment,
        namespace: appNamespace(name),
        url: gitUrl,
      }),
    );
    written.push(fluxFilePath(environment));
  }
  return written.sort();
}
