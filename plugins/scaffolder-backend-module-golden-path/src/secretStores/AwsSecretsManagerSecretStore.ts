import {
  CreateSecretCommand,
  DescribeSecretCommand,
  ResourceExistsException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { createHash } from 'node:crypto';
import {
  assertSecretPath,
  SecretCreateResult,
  SecretStore,
} from './SecretStore';

/** Options of {@link AwsSecretsManagerSecretStore}. */
export interface AwsSecretsManagerSecretStoreOptions {
  /** AWS region of the secrets, e.g. `eu-central-1`. */
  region: string;
  /** Endpoint override, e.g. `http://localhost:4566` for LocalStack. Default: the region's public endpoint. */
  endpoint?: string;
}

/**
 * Creates secrets in AWS Secrets Manager as plain strings named by their path, with credentials from the AWS SDK's
 * default chain (environment, shared config and SSO, web identity, container and instance roles).
 */
export class AwsSecretsManagerSecretStore implements SecretStore {
  readonly provider = 'aws-secrets-manager' as const;
  readonly #region: string;
  readonly #client: SecretsManagerClient;

  constructor(options: AwsSecretsManagerSecretStoreOptions) {
    this.#region = options.region;
    this.#client = new SecretsManagerClient({
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    });
  }

  describe(path: string): string {
    return `secret ${path} in AWS Secrets Manager (${this.#region})`;
  }

  async create(
    path: string,
    value: string,
    options: { requestId?: string } = {},
  ): Promise<SecretCreateResult> {
    assertSecretPath(path);
    try {
      await this.#client.send(
        new CreateSecretCommand({
          Name: path,
          SecretString: value,
          ClientRequestToken: idempotencyToken(path, options.requestId),
        }),
      );
      return 'created';
    } catch (error) {
      if (
        error instanceof ResourceExistsException ||
        (error as Error).name === 'ResourceExistsException'
      ) {
        return 'exists';
      }
      throw new Error(
        `AWS Secrets Manager could not create ${this.describe(path)}: ${
          (error as Error).name
        }: ${(error as Error).message}`,
      );
    }
  }

  /** Whether the secret exists and is not scheduled for deletion, from `DescribeSecret` (metadata, never the value). */
  async exists(path: string): Promise<boolean> {
    assertSecretPath(path);
    try {
      const secret = await this.#client.send(
        new DescribeSecretCommand({ SecretId: path }),
      );
      return secret.DeletedDate === undefined;
    } catch (error) {
      if ((error as Error).name === 'ResourceNotFoundException') {
        return false;
      }
      throw new Error(
        `AWS Secrets Manager could not describe ${this.describe(path)}: ${
          (error as Error).name
        }: ${(error as Error).message}`,
      );
    }
  }
}

/**
 * The version id of the secret's first version. It is the same for every retry of one request (same path and
 * `requestId`), so Secrets Manager treats a retry after a lost response as the same request instead of a conflict,
 * and differs between tasks, so that another task finds the secret existing. It is derived from names only, never
 * from the value.
 */
export function idempotencyToken(path: string, requestId = ''): string {
  const hex = createHash('sha256')
    .update(`golden-path:secrets:seed\n${requestId}\n${path}`)
    .digest('hex');
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    hex.slice(12, 16),
    hex.slice(16, 20),
    hex.slice(20, 32),
  ].join('-');
}
