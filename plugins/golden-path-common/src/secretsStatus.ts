/** Whether a declared secret exists in the secret manager for one environment; never its value. */
export type SecretPresence = 'present' | 'missing' | 'unknown';

/** `GET /api/service-insights/secrets?ref=<component>`: which declared secrets exist, per environment. */
export interface SecretsStatusResponse {
  /** The policy's secret manager. */
  provider: string;
  /** The policy's environments, in promotion order. */
  environments: string[];
  /** Each declared secret (`golden-path.io/secrets`) with its presence per environment. */
  secrets: Array<{
    name: string;
    environments: Record<string, SecretPresence>;
  }>;
  /** Why some or all presences are `unknown` (provider cannot be asked, or did not answer); names no value. */
  error?: string;
}
