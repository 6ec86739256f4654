import { ConfigReader } from '@backstage/config';
import { GoldenPathPolicy, readGoldenPathPolicy } from '@golden-path/common';
import { resolve } from 'node:path';
import { AwsSecretsManagerSecretStore } from './AwsSecretsManagerSecretStore';
import { createSecretStore } from './createSecretStore';
import { LocalFileSecretStore } from './LocalFileSecretStore';
import { VaultKvV2SecretStore } from './VaultKvV2SecretStore';

describe('createSecretStore', () => {
  const policy = (provider: string): GoldenPathPolicy =>
    readGoldenPathPolicy(
      new ConfigReader({ goldenPath: { secrets: { provider } } }),
    );
  const create = (provider: string, secrets: object = {}) =>
    createSecretStore(
      policy(provider),
      new ConfigReader({ goldenPath: { secrets: { provider, ...secrets } } }),
    );

  it('keeps local secrets in data/secrets at the repository root by default', () => {
    const store = create('local');
    expect(store).toBeInstanceOf(LocalFileSecretStore);
    expect(store.describe('dev/x/KEY')).toBe(
      resolve('../../data/secrets/dev/x/KEY'),
    );
  });

  it('resolves a configured local directory against the working directory', () => {
    const store = create('local', { local: { directory: 'tmp/secrets' } });
    expect(store.describe('dev/x/KEY')).toBe(resolve('tmp/secrets/dev/x/KEY'));
  });

  it('configures Vault from goldenPath.secrets.vault', () => {
    const store = create('vault', {
      vault: {
        address: 'https://vault.example.com:8200',
        token: 'hvs.token',
        mount: 'kv',
        namespace: 'team-a',
      },
    });
    expect(store).toBeInstanceOf(VaultKvV2SecretStore);
    expect(store.provider).toBe('vault');
    expect(store.describe('dev/x/KEY')).toBe(
      'kv/data/dev/x/KEY at https://vault.example.com:8200 (namespace team-a)',
    );
  });

  it.each([
    [
      { token: 't' },
      'goldenPath.secrets.vault.address is required when goldenPath.secrets.provider is vault',
    ],
    [
      { address: 'https://vault.example.com' },
      'goldenPath.secrets.vault.token is required when goldenPath.secrets.provider is vault',
    ],
    [
      { address: 'vault.example.com', token: 't' },
      'goldenPath.secrets.vault.address "vault.example.com" must be an http(s) URL',
    ],
  ])('names the Vault key that is missing or wrong (%j)', (vault, message) => {
    expect(() => create('vault', { vault })).toThrow(message);
  });

  it('configures AWS Secrets Manager from goldenPath.secrets.aws', () => {
    const store = create('aws-secrets-manager', {
      aws: { region: 'eu-central-1', endpoint: 'http://localhost:4566' },
    });
    expect(store).toBeInstanceOf(AwsSecretsManagerSecretStore);
    expect(store.describe('dev/x/KEY')).toBe(
      'secret dev/x/KEY in AWS Secrets Manager (eu-central-1)',
    );
    expect(() => create('aws-secrets-manager')).toThrow(
      'goldenPath.secrets.aws.region is required when goldenPath.secrets.provider is aws-secrets-manager',
    );
  });

  it('explains that GCP Secret Manager is not seeded and what to do instead', () => {
    expect(() => create('gcp-secret-manager')).toThrow(
      /^Seeding secrets is not supported for goldenPath.secrets.provider gcp-secret-manager: create the secrets in GCP Secret Manager directly/,
    );
  });
});
