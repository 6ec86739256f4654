import { GoldenPathPolicy, renderSecretsPath } from '@golden-path/common';
import fs from 'fs-extra';
import YAML from 'yaml';
import { overlayDir, updateKustomization } from '../workspace/kustomization';
import {
  readWorkspaceFile,
  workspaceFile,
  writeYamlDocuments,
} from '../workspace/workspaceFiles';
import { remoteRefFor } from '../secretStores/remoteRef';
import { ManifestObject, appLabels, secretsSecretName } from './common';
import { setList, readList } from './yamlDocument';
import {
  checkComponentName,
  checkEnvironments,
  checkSecretNames,
} from '../inputChecks';

/** The overlay file that holds an environment's ExternalSecret, relative to the overlay directory. */
export const EXTERNAL_SECRET_FILE = 'external-secret.yaml';

/** How often the External Secrets Operator re-reads the secrets from the provider. */
export const EXTERNAL_SECRET_REFRESH_INTERVAL = '1h';

/** Path of an environment's ExternalSecret in the workspace, e.g. `deploy/overlays/dev/external-secret.yaml`. */
export const externalSecretPath = (environment: string) =>
  `${overlayDir(environment)}/${EXTERNAL_SECRET_FILE}`;

/**
 * The ExternalSecret of one environment: the External Secrets Operator reads each declared secret from the policy's
 * store and writes it into the Secret `<name>-secrets` under the secret's own name, which becomes the file name under
 * `SECRETS_DIR` in the pod. The provider path comes from the policy's path pattern, so it matches what
 * `golden-path:secrets` seeds.
 */
export function buildExternalSecret(options: {
  name: string;
  environment: string;
  secrets: readonly string[];
  policy: Pick<GoldenPathPolicy, 'secrets'>;
}): ManifestObject {
  const { name, environment, secrets, policy } = options;
  const { provider, store, pathPattern } = policy.secrets;
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name, labels: appLabels(name) },
    spec: {
      refreshInterval: EXTERNAL_SECRET_REFRESH_INTERVAL,
      secretStoreRef: { kind: store.kind, name: store.name },
      target: { name: secretsSecretName(name), creationPolicy: 'Owner' },
      data: secrets.map(key => ({
        secretKey: key,
        remoteRef: remoteRefFor(
          provider,
          renderSecretsPath(pathPattern, { environment, component: name, key }),
        ),
      })),
    },
  };
}

/**
 * Writes `deploy/overlays/<env>/external-secret.yaml` for each environment and lists it in that overlay's
 * kustomization `resources`; with no secrets it removes both instead. Shared by `golden-path:deploy` and
 * `golden-path:secrets`, so the file is the same whichever action writes it last. Throws an InputError naming the
 * field for a bad name, secret name or environment. Returns the paths written.
 */
export async function writeExternalSecrets(
  workspacePath: string,
  options: {
    name: string;
    secrets: readonly string[];
    environments: readonly string[];
    policy: GoldenPathPolicy;
  },
): Promise<string[]> {
  const name = checkComponentName(options.name);
  const secrets = checkSecretNames(options.secrets);
  const environments = checkEnvironments(options.environments, options.policy);
  const written: string[] = [];
  for (const environment of environments) {
    const path = externalSecretPath(environment);
    if (secrets.length > 0) {
      await writeYamlDocuments(workspacePath, path, [
        buildExternalSecret({
          name,
          environment,
          secrets,
          policy: options.policy,
        }),
      ]);
      await updateKustomization(workspacePath, overlayDir(environment), doc =>
        setList(
          doc,
          'resources',
          addOnce(readList(doc, 'resources'), EXTERNAL_SECRET_FILE),
        ),
      );
      written.push(path);
    } else {
      await removeExternalSecret(workspacePath, environment);
    }
  }
  return written;
}

async function removeExternalSecret(
  workspacePath: string,
  environment: string,
) {
  await fs.remove(
    workspaceFile(workspacePath, externalSecretPath(environment)),
  );
  const kustomization = `${overlayDir(environment)}/kustomization.yaml`;
  const text = await readWorkspaceFile(workspacePath, kustomization);
  if (
    text &&
    readList(YAML.parseDocument(text), 'resources').includes(
      EXTERNAL_SECRET_FILE,
    )
  ) {
    await updateKustomization(workspacePath, overlayDir(environment), doc =>
      setList(
        doc,
        'resources',
        readList(doc, 'resources').filter(
          entry => entry !== EXTERNAL_SECRET_FILE,
        ),
      ),
    );
  }
}

function addOnce(list: unknown[], entry: string): unknown[] {
  return list.includes(entry) ? list : [...list, entry];
}
