import { SecretsProvider } from '@golden-path/common';

/**
 * How each provider keeps one secret, so that what golden-path:secrets:seed writes is exactly what the generated
 * ExternalSecret reads. Vault KV v2 stores a map per path, so the value sits under one property; AWS Secrets
 * Manager and GCP Secret Manager store the plain string.
 */
export const VAULT_VALUE_PROPERTY = 'value';

export function remoteRefFor(
  provider: SecretsProvider,
  path: string,
): { key: string; property?: string } {
  return provider === 'vault'
    ? { key: path, property: VAULT_VALUE_PROPERTY }
    : { key: path };
}
