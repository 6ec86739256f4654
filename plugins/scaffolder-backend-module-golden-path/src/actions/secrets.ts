import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  GOLDEN_PATH_ANNOTATIONS,
  GoldenPathPolicy,
  renderSecretsPath,
} from '@golden-path/common';
import { writeExternalSecrets } from '../manifests/externalSecret';
import { annotateCatalogInfo } from '../workspace/catalogInfo';
import { ensureLines, writeWorkspaceFile } from '../workspace/workspaceFiles';
import { catalogInfoPathInput } from './catalogInfoPathInput';
import { checkComponentName, checkSecretNames } from '../inputChecks';
import { readSecretValues } from '../secretValues';
import { examples } from './secrets.examples';

/** Where a developer keeps real values for local runs (`SECRETS_DIR=.secrets`); never committed. */
export const LOCAL_SECRETS_DIR = '.secrets';
export const SECRETS_EXAMPLE_DIR = '.secrets.example';

// Extends gitleaks' default rules; placeholders under .secrets.example/ hold no secrets by construction.
const GITLEAKS_CONFIG = `# gitleaks configuration, written by golden-path:secrets. CI runs gitleaks on every push.
[extend]
useDefault = true

[allowlist]
description = "Placeholders for declared secrets, never real values"
paths = ['''^\\.secrets\\.example/''']
`;

/**
 * Declares the secrets a service reads: ExternalSecrets per environment that mount them as files under
 * SECRETS_DIR, placeholders in .secrets.example/, git-ignore rules and a gitleaks config so real values stay out
 * of git, and catalog annotations saying where the secrets live. Never writes a secret value.
 *
 * @public
 */
export function createSecretsAction(options: { policy: GoldenPathPolicy }) {
  const { policy } = options;
  return createTemplateAction({
    id: 'golden-path:secrets',
    description:
      'Declares secrets: ExternalSecret manifests per environment, .secrets.example/ placeholders, .gitignore and gitleaks rules, and catalog annotations. Never writes a value.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z => z.string({ description: 'Component name' }),
        secrets: z =>
          z.array(z.string(), {
            description:
              'Secret names, UPPER_SNAKE (e.g. DB_PASSWORD); each becomes a file of that name under SECRETS_DIR',
          }),
        catalogInfoPath: catalogInfoPathInput,
      },
      output: {
        paths: z =>
          z.array(z.string(), {
            description:
              'Where each secret lives in the secret manager, per environment',
          }),
      },
    },
    async handler(ctx) {
      const {
        name,
        secrets,
        catalogInfoPath = 'catalog-info.yaml',
      } = ctx.input;
      checkComponentName(name);
      checkSecretNames(secrets);

      const { environments } = policy.deploy;
      // The initial values (task secrets) are stored only after publishing; check them now, before anything is written.
      readSecretValues(ctx.secrets, secrets, environments);
      const { provider, store, pathPattern } = policy.secrets;
      const paths = environments.flatMap(environment =>
        secrets.map(key =>
          renderSecretsPath(pathPattern, { environment, component: name, key }),
        ),
      );

      await writeExternalSecrets(ctx.workspacePath, {
        name,
        secrets,
        environments,
        policy,
      });
      for (const secret of secrets) {
        const where = renderSecretsPath(pathPattern, {
          environment: '<environment>',
          component: name,
          key: secret,
        });
        await writeWorkspaceFile(
          ctx.workspacePath,
          `${SECRETS_EXAMPLE_DIR}/${secret}`,
          `placeholder: the real value lives in ${provider} at ${where}; for local runs put it in ${LOCAL_SECRETS_DIR}/${secret}\n`,
        );
      }
      await ensureLines(ctx.workspacePath, '.gitignore', [
        '# Secret values never go to git (golden-path:secrets)',
        `${LOCAL_SECRETS_DIR}/`,
        '.env',
        '.env.*',
        '*.pem',
        '*.key',
      ]);
      await writeWorkspaceFile(
        ctx.workspacePath,
        '.gitleaks.toml',
        GITLEAKS_CONFIG,
        {
          onlyIfMissing: true,
        },
      );
      await annotateCatalogInfo(ctx.workspacePath, catalogInfoPath, {
        annotations: {
          [GOLDEN_PATH_ANNOTATIONS.secrets]: secrets.join(','),
          [GOLDEN_PATH_ANNOTATIONS.secretStore]: `${store.kind}/${store.name}`,
          [GOLDEN_PATH_ANNOTATIONS.secretsPathPattern]: pathPattern,
          ...(provider === 'vault'
            ? {
                [GOLDEN_PATH_ANNOTATIONS.vaultSecretsPath]: vaultListingPath(
                  pathPattern,
                  name,
                  environments[0],
                ),
              }
            : {}),
        },
      });

      ctx.logger.info(
        `Declared ${secrets.length} secret(s) for ${environments.join(
          ', ',
        )}: ${secrets.join(', ')}`,
      );
      ctx.output('paths', paths);
    },
  });
}

/** The Vault plugin lists a path's secrets; point it at the first environment's folder of this component. */
function vaultListingPath(
  pathPattern: string,
  component: string,
  environment: string,
): string {
  const keyPath = renderSecretsPath(pathPattern, {
    environment,
    component,
    key: 'KEY',
  });
  return keyPath.replace(/\/?KEY$/, '');
}
