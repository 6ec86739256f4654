// The production configuration as the integration tests run it: app-config.production.yaml on a throwaway
// PostgreSQL server, with the environment variables it names, and (for tests that sign users in) the oauth2-proxy
// provider so a test can sign in as any user of its org fixture. One place for what every production-shape test shares.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { repoRoot } from '@golden-path/test-utils/src/backendProcess.ts';
import type { PostgresServer } from '@golden-path/test-utils/src/postgresServer.ts';

/** The config files a production backend starts with. */
export const productionConfigFiles = [
  join(repoRoot, 'app-config.yaml'),
  join(repoRoot, 'app-config.production.yaml'),
];

/**
 * The environment app-config.production.yaml reads. One call per deployment: replicas of one deployment share it
 * (the same BACKEND_SECRET signs and verifies their service tokens).
 */
export function productionEnv(
  postgres: PostgresServer,
): Record<string, string> {
  return {
    POSTGRES_HOST: postgres.host,
    POSTGRES_PORT: String(postgres.port),
    POSTGRES_USER: postgres.user,
    POSTGRES_PASSWORD: postgres.password,
    BACKEND_SECRET: randomBytes(24).toString('base64url'),
    APP_BASE_URL: 'http://127.0.0.1',
    BACKEND_BASE_URL: 'http://127.0.0.1',
    AUTH_GITHUB_CLIENT_ID: 'integration-test',
    AUTH_GITHUB_CLIENT_SECRET: 'integration-test',
    GITHUB_TOKEN: 'integration-test',
    CATALOG_ORG_URL: 'https://github.com/example/org/blob/main/org.yaml',
  };
}

/**
 * Test-only sign-in: the oauth2-proxy provider trusts `X-Forwarded-User` (see portalApi.ts `proxySignIn`), so a
 * test signs in as any user of its org fixture. Never in a shipped config.
 */
export const proxySignInAuth = {
  providers: {
    oauth2Proxy: {
      signIn: {
        resolvers: [{ resolver: 'forwardedUserMatchingUserEntityName' }],
      },
    },
  },
};
