import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  componentNameProblem,
  GoldenPathPolicy,
  renderSecretsPath,
  secretNameProblem,
} from '@golden-path/common';
import { createSecretStore } from '../secretStores/createSecretStore';
import { SecretStore } from '../secretStores/SecretStore';
import { examples } from './secretsSeed.examples';

/** The key under which the scaffolder adds the initiator's Backstage token to the task secrets. */
const BACKSTAGE_TOKEN_SECRET = 'backstageToken';

/**
 * Creates the action `golden-path:secrets:seed`: writes the initial value of each declared secret, taken from the
 * task secrets (template parameters with `ui:field: Secret`), to the policy's secret manager at
 * `goldenPath.secrets.pathPattern`, once per environment, where the generated ExternalSecret reads it. Existing
 * secrets are never overwritten. Values never reach logs, outputs, errors, the workspace or the task database.
 *
 * @public
 */
export function createSecretsSeedAction(options: {
  policy: GoldenPathPolicy;
  config: Config;
}) {
  const { policy, config } = options;
  const { provider, pathPattern } = policy.secrets;
  let store: SecretStore | undefined;
  // Built on first use, so a provider that cannot be seeded only fails the tasks that have something to seed.
  const getStore = () => (store ??= createSecretStore(policy, config));

  return createTemplateAction({
    id: 'golden-path:secrets:seed',
    description: `Creates each secret that has a value in the secret manager (${provider}), once per environment, at the path the generated ExternalSecret reads. A secret that exists is left unchanged.`,
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        component: z =>
          z.string({
            description:
              'Component name, used for {component} in the secrets path: lowercase letters, digits and single hyphens, at most 63 characters.',
          }),
        secrets: z =>
          z.array(
            z.object({
              name: z.string({
                description:
                  'Secret name, used for {key} in the secrets path and as the file or variable name in the service: uppercase letters, digits and underscores, e.g. DB_PASSWORD.',
              }),
              secretKey: z.string({
                description:
                  'Key of the value in the task secrets: the name of a template parameter with `ui:field: Secret`. The value is read from there, so it never appears in the step input. A secret without a value is skipped.',
              }),
            }),
            {
              description:
                'The secrets to seed, each a name and the task secret that holds its initial value.',
            },
          ),
        environments: z =>
          z
            .array(z.string(), {
              description: `Environments to seed, each one of goldenPath.deploy.environments (${policy.deploy.environments.join(
                ', ',
              )}). Default: [dev].`,
            })
            .optional(),
      },
      output: {
        seeded: z =>
          z.array(z.string(), {
            description:
              'Secrets paths created by this step. In a dry run, every path that would be written (without checking which exist).',
          }),
        existing: z =>
          z.array(z.string(), {
            description:
              'Secrets paths that existed already and were left unchanged.',
          }),
      },
    },
    async handler(ctx) {
      const { component, secrets, environments = ['dev'] } = ctx.input;
      checkComponent(component);
      checkEnvironments(environments, policy.deploy.environments);
      checkSecrets(secrets);

      const writes: { path: string; value: string }[] = [];
      for (const { name, secretKey } of secrets) {
        const value = ctx.secrets?.[secretKey];
        if (value === undefined || value.trim() === '') {
          ctx.logger.info(
            `Skipping secret ${name}: the task secret ${secretKey} has no value`,
          );
          continue;
        }
        for (const environment of environments) {
          const path = renderSecretsPath(pathPattern, {
            environment,
            component,
            key: name,
          });
          writes.push({ path, value });
        }
      }
      if (writes.length === 0) {
        ctx.logger.info('No secret has a value; nothing to seed');
        ctx.output('seeded', []);
        ctx.output('existing', []);
        return;
      }
      const secretStore = getStore();

      if (ctx.isDryRun) {
        for (const { path } of writes) {
          ctx.logger.info(
            `Dry run: would create ${secretStore.describe(
              path,
            )} unless it exists`,
          );
        }
        ctx.output(
          'seeded',
          writes.map(w => w.path),
        );
        ctx.output('existing', []);
        return;
      }

      const seeded: string[] = [];
      const existing: string[] = [];
      for (const { path, value } of writes) {
        // The checkpoint stores only 'created' or 'exists' in the task database, never the value.
        const result = await ctx.checkpoint({
          key: `golden-path.secrets.seed.${provider}.${path}`,
          fn: () => secretStore.create(path, value, { requestId: ctx.task.id }),
        });
        if (result === 'created') {
          seeded.push(path);
          ctx.logger.info(`Created ${secretStore.describe(path)}`);
        } else {
          existing.push(path);
          ctx.logger.info(
            `Left ${secretStore.describe(path)} unchanged: it exists already`,
          );
        }
      }
      ctx.output('seeded', seeded);
      ctx.output('existing', existing);
    },
  });
}

function checkComponent(component: string) {
  const problem = componentNameProblem(component);
  if (problem) {
    throw new InputError(`component ${JSON.stringify(component)} ${problem}`);
  }
}

function checkEnvironments(environments: string[], allowed: readonly string[]) {
  if (environments.length === 0) {
    throw new InputError(
      `environments must list at least one of ${allowed.join(', ')}`,
    );
  }
  environments.forEach((environment, index) => {
    const field = `environments[${index}] ${JSON.stringify(environment)}`;
    if (!allowed.includes(environment)) {
      throw new InputError(`${field} is not one of ${allowed.join(', ')}`);
    }
    if (environments.indexOf(environment) !== index) {
      throw new InputError(`${field} is listed twice`);
    }
  });
}

function checkSecrets(secrets: { name: string; secretKey: string }[]) {
  secrets.forEach(({ name, secretKey }, index) => {
    const problem = secretNameProblem(name);
    if (problem) {
      throw new InputError(
        `secrets[${index}].name ${JSON.stringify(name)} ${problem}`,
      );
    }
    if (secrets.findIndex(s => s.name === name) !== index) {
      throw new InputError(
        `secrets[${index}].name ${JSON.stringify(name)} is listed twice`,
      );
    }
    if (typeof secretKey !== 'string' || secretKey === '') {
      throw new InputError(
        `secrets[${index}].secretKey is required: the name of a template parameter with ui:field: Secret`,
      );
    }
    if (secretKey === BACKSTAGE_TOKEN_SECRET) {
      throw new InputError(
        `secrets[${index}].secretKey "${BACKSTAGE_TOKEN_SECRET}" is the Backstage token of the user running the template and must not be stored; use a template parameter with ui:field: Secret`,
      );
    }
  });
}
