import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  GOLDEN_PATH_ANNOTATIONS,
  GoldenPathPolicy,
  SecretPresence,
  SecretsStatusResponse,
  componentNameProblem,
  entitySecretNames,
  renderSecretsPath,
  secretNameProblem,
  secretsPathPatternProblem,
} from '@golden-path/common';
import {
  SecretStore,
  createSecretStore,
} from '@golden-path/plugin-scaffolder-backend-module-golden-path';

/** At most this many declared secrets are checked per component, so one request stays a bounded number of calls. */
const MAX_SECRETS = 50;

/**
 * Answers which declared secrets of a component exist in the secret manager, per environment: existence only
 * (local file, Vault KV v2 metadata, AWS DescribeSecret), never a value. The component is read with the caller's
 * credentials, so nobody learns about secrets of a component they may not see.
 */
export function createSecretsStatus(options: {
  catalog: CatalogService;
  policy: GoldenPathPolicy;
  config: Config;
  logger: LoggerService;
}) {
  const { catalog, policy, config, logger } = options;
  let store: SecretStore | undefined;
  let storeError: string | undefined;
  try {
    store =
      policy.secrets.provider === 'gcp-secret-manager'
        ? undefined
        : createSecretStore(policy, config);
    if (!store) {
      storeError = `${policy.secrets.provider} cannot be asked which secrets exist; check in its console`;
    }
  } catch (error) {
    storeError = `The secret manager is not configured: ${
      (error as Error).message
    }`;
  }

  return async function secretsStatus(
    entityRef: string,
    { credentials }: { credentials: BackstageCredentials },
  ): Promise<SecretsStatusResponse> {
    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) {
      throw new NotFoundError(
        `No component ${entityRef}, or you may not see it`,
      );
    }
    const environments = [...policy.deploy.environments];
    const names = entitySecretNames(entity)
      .filter(name => secretNameProblem(name) === undefined)
      .slice(0, MAX_SECRETS);
    const pattern =
      entity.metadata.annotations?.[GOLDEN_PATH_ANNOTATIONS.secretsPathPattern];
    const pathPattern =
      pattern && !secretsPathPatternProblem(pattern)
        ? pattern
        : policy.secrets.pathPattern;
    const component = entity.metadata.name;
    let error = storeError;
    if (!error && componentNameProblem(component)) {
      error = `The component name ${JSON.stringify(
        component,
      )} cannot be part of a secrets path`;
    }

    const presence = async (
      name: string,
      environment: string,
    ): Promise<SecretPresence> => {
      if (!store || error) {
        return 'unknown';
      }
      const path = renderSecretsPath(pathPattern, {
        environment,
        component,
        key: name,
      });
      try {
        return (await store.exists(path)) ? 'present' : 'missing';
      } catch (e) {
        logger.warn(
          `Could not check ${store.describe(path)}: ${(e as Error).message}`,
        );
        error = `The ${policy.secrets.provider} secret manager did not answer for every secret; see the backend log`;
        return 'unknown';
      }
    };

    const secrets = await Promise.all(
      names.map(async name => ({
        name,
        environments: Object.fromEntries(
          await Promise.all(
            environments.map(
              async env => [env, await presence(name, env)] as const,
            ),
          ),
        ),
      })),
    );
    return {
      provider: policy.secrets.provider,
      environments,
      secrets,
      ...(error ? { error } : {}),
    };
  };
}

export type SecretsStatus = ReturnType<typeof createSecretsStatus>;
