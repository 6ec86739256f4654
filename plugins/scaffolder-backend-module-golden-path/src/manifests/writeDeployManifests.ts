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
import {
  workspaceFile,
  writeWorkspaceFile,
  writeYamlDocuments,
} from '../workspace/workspaceFiles';
import { AutoscalingSpec, buildAutoscaler } from './autoscaling';
import { ManifestObject, otelConfigMapName } from './common';
import { externalSecretPath, writeExternalSecrets } from './externalSecret';
import { fluxDocuments, fluxFilePath } from './flux';
import {
  buildImagePolicy,
  buildImageRepository,
  buildImageUpdateAutomation,
  isServiceVersionReplacement,
  serviceVersionReplacements,
  upsertImageEntry,
} from './image';
import { buildNetworkPolicies } from './networkPolicies';
import {
  PROMOTE_SCRIPT,
  PROMOTE_SCRIPT_FILE,
  PROMOTE_WORKFLOW,
  PROMOTE_WORKFLOW_FILE,
  RELEASE_ENV_FILE,
  releaseEnv,
} from './promotion';
import {
  WorkloadSpec,
  buildDeployment,
  buildNamespace,
  buildPodDisruptionBudget,
  buildService,
  buildServiceAccount,
} from './workload';
import { orderKeys, readList, setList } from './yamlDocument';

/** The autoscaler of an environment (ScaledObject or HPA), in its overlay: the bounds differ per environment. */
const AUTOSCALING_FILE = 'autoscaling.yaml';

/** Written by earlier versions, when one HPA in the base served every environment. */
const LEGACY_BASE_FILES = ['hpa.yaml'];

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
 * - `deploy/overlays/<env>/`: the environment's autoscaler (`autoscaling.yaml`, with its bounds and peak windows)
 *   and a kustomization with `namespace`, `resources` (the base, the autoscaler and, with secrets, the environment's
 *   `external-secret.yaml`), the `images` entry of the component's image (its tag and digest are kept once set:
 *   Flux records builds in the first environment, promotion in the others) and the `replacements` that set
 *   `SERVICE_VERSION` to the deployed tag;
 * - `deploy/flux/<env>.yaml`: the Flux GitRepository and Kustomization that apply the overlay, and for the first
 *   environment the image automation (ImageRepository, ImagePolicy, ImageUpdateAutomation);
 * - `deploy/release.env`, `deploy/promote.sh` and `.github/workflows/promote.yaml`: promotion to the next
 *   environment.
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
    /** The repository is private: Flux clones it with the `<name>-git` Secret. */
    gitPrivate?: boolean;
    /** The image repository CI pushes to, without tag (`<registry>/<name>`); the base Deployment's image. */
    repository: string;
    /** The autoscaler of each environment. */
    autoscaling: Readonly<Record<string, AutoscalingSpec>>;
  },
): Promise<string[]> {
  const { spec, environments, policy, gitUrl, repository } = options;
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
  const stale = [
    ...LEGACY_BASE_FILES,
    // Left over when the app used to be a service.
    ...(spec.workload === 'worker' ? ['service.yaml'] : []),
  ];
  for (const file of stale) {
    await fs.remove(workspaceFile(workspacePath, `${DEPLOY_BASE_DIR}/${file}`));
  }

  await upsertEnvFile(workspacePath, OTEL_ENV_FILE, {}, OTEL_ENV_HEADER);
  written.push(OTEL_ENV_FILE);

  const otelName = otelConfigMapName(name);
  await updateKustomization(workspacePath, DEPLOY_BASE_DIR, doc => {
    const mine = new Set<unknown>([
      ...BASE_RESOURCE_FILES,
      ...LEGACY_BASE_FILES,
    ]);
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

  for (const [index, environment] of environments.entries()) {
    const overlay = overlayDir(environment);
    await writeYamlDocuments(workspacePath, `${overlay}/${AUTOSCALING_FILE}`, [
      buildAutoscaler(options.autoscaling[environment]),
    ]);
    written.push(`${overlay}/${AUTOSCALING_FILE}`);
    await updateKustomization(workspacePath, overlay, doc => {
      doc.set('namespace', appNamespace(name));
      const mine = ['../../base', AUTOSCALING_FILE];
      setList(doc, 'resources', [
        ...mine,
        ...readList(doc, 'resources').filter(
          entry => !mine.includes(entry as string),
        ),
      ]);
      upsertImageEntry(doc, { repository, name, automated: index === 0 });
      setList(doc, 'replacements', [
        ...readList(doc, 'replacements').filter(
          entry => !isServiceVersionReplacement(entry),
        ),
        ...serviceVersionReplacements(name, repository),
      ]);
      orderKeys(doc, [
        'apiVersion',
        'kind',
        'namespace',
        'resources',
        'images',
        'replacements',
      ]);
    });
    written.push(`${overlay}/kustomization.yaml`);
  }

  const secretFiles = await writeExternalSecrets(workspacePath, {
    name,
    secrets: spec.secrets,
    environments,
    policy,
  });

  for (const [index, environment] of environments.entries()) {
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
        private: options.gitPrivate,
        imageAutomation:
          index === 0
            ? [
                buildImageRepository({
                  name,
                  repository,
                  pullSecret: policy.deploy.imagePullSecret,
                }),
                buildImagePolicy({ name }),
                buildImageUpdateAutomation({
                  name,
                  overlayPath: overlayDir(environment),
                }),
              ]
            : undefined,
      }),
    );
    written.push(fluxFilePath(environment));
  }

  await writeWorkspaceFile(
    workspacePath,
    RELEASE_ENV_FILE,
    releaseEnv({ repository, environments }),
  );
  await writeWorkspaceFile(workspacePath, PROMOTE_SCRIPT_FILE, PROMOTE_SCRIPT, {
    mode: 0o755,
  });
  // writeFile keeps the mode of an existing file.
  await fs.chmod(workspaceFile(workspacePath, PROMOTE_SCRIPT_FILE), 0o755);
  await writeWorkspaceFile(
    workspacePath,
    PROMOTE_WORKFLOW_FILE,
    PROMOTE_WORKFLOW,
  );
  written.push(RELEASE_ENV_FILE, PROMOTE_SCRIPT_FILE, PROMOTE_WORKFLOW_FILE);
  return written.sort();
}
