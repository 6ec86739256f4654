import { Config } from '@backstage/config';
import { GoldenPathPolicy } from '@golden-path/common';
import { resolve as resolvePath } from 'node:path';
import { AwsSecretsManagerSecretStore } from './AwsSecretsManagerSecretStore';
import { LocalFileSecretStore } from './LocalFileSecretStore';
import { SecretStore } from './SecretStore';
import { VaultKvV2SecretStore } from './VaultKvV2SecretStore';

/**
 * Where the local provider keeps secrets when `goldenPath.secrets.local.directory` is not set: `data/secrets` at
 * the repository root, seen from the backend's working directory (`packages/backend` under `yarn start`).
 */
export const DEFAULT_LOCAL_SECRETS_DIRECTORY = '../../data/secrets';

/**
 * The secret store for `policy.secrets.provider`, configured from `goldenPath.secrets.<local|vault|aws>`. Throws an
 * error naming the missing or invalid key, and for `gcp-secret-manager`, which golden-path cannot seed.
 * Creating a store contacts no server.
 */
export function createSecretStore(
  policy: GoldenPathPolicy,
  config: Config,
): SecretStore {
  const provider = policy.secrets.provider;
  switch (provider) {
    case 'local':
      return new LocalFileSecretStore({
        directory: resolvePath(
          config.getOptionalString('goldenPath.secrets.local.directory') ??
            DEFAULT_LOCAL_SECRETS_DIRECTORY,
        ),
      });
    case 'vault': {
      const address = required(
        config,
        'goldenPath.secrets.vault.address',
        provider,
      );
      if (!isHttpUrl(address)) {
        throw new Error(
          `goldenPath.secrets.vault.address ${JSON.stringify(
            address,
          )} must be an http(s) URL, e.g. https://vault.example.com:8200`,
        );
      }
      return new VaultKvV2SecretStore({
        address,
        token: required(config, 'goldenPath.secrets.vault.token', provider),
        mount: config.getOptionalString('goldenPath.secrets.vault.mount'),
        namespace: config.getOptionalString(
          'goldenPath.secrets.vault.namespace',
        ),
      });
    }
    case 'aws-secrets-manager':
      return new AwsSecretsManagerSecretStore({
        region: required(config, 'goldenPath.secrets.aws.region', provider),
        endpoint: config.getOptionalString('goldenPath.secrets.aws.endpoint'),
      });
    case 'gcp-secret-manager':
      throw new Error(
        'Seeding secrets is not supported for goldenPath.secrets.provider gcp-secret-manager: create the secrets in ' +
          'GCP Secret Manager directly, under the names the generated ExternalSecret references; it reads them from ' +
          'there all the same',
      );
    default:
      throw new Error(
        `Seeding secrets is not supported for goldenPath.secrets.provider ${String(
          provider satisfies never,
        )}`,
      );
  }
}

function required(config: Config, key: string, provider: string): string {
  const value = config.getOptionalString(key);
  if (!value) {
    throw new Error(
      `${key} is required when goldenPath.secrets.provider is ${provider}`,
    );
  }
  return value;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') && url.host !== ''
    );
  } catch {
    return false;
  }
}
