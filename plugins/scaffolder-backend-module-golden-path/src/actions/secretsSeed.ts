import { Config } from '@backstage/config';
import { NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { GoldenPathPolicy, renderSecretsPath } from '@golden-path/common';
import {
  checkComponentName,
  checkEnvironments,
  checkSecretNames,
  invalidInput,
} from '../inputChecks';
import { createSecretStore } from '../secretStores/createSecretStore';
import { SecretStore } from '../secretStores/SecretStore';
import { readSecretValues } from '../secretValues';
import { examples } from './secretsSeed.examples';

const MANAGED_BY_LOCATION = 'backstage.io/managed-by-location';

/**
 * Creates the action `golden-path:secrets:seed`: after a template has published and registered a component, writes
 * the initial value of each declared secret for each environment to the policy's secret manager, at
 * `goldenPath.secrets.pathPattern`, where the generated ExternalSecret reads it. Values come only from the task
 * secrets (`<NAME>@<environment>`, or `<NAME>` for every environment); existing secrets are never overwritten; the
 * output lists what still has no value. Values never reach logs, outputs, errors, the workspace or the task database.
 *
 * @public
 */
export function createSecretsSeedAction(options: {
  policy: GoldenPathPolicy;
  config: Config;
  catalog?: CatalogService;
}) {
  const { policy, config, catalog } = options;
  const { provider, pathPattern } = policy.secrets;
  let store: SecretStore | undefined;
  // Built on first use, so a provider that cannot be seeded only fails the tasks that have something to seed.
  const getStore = () => (store ??= createSecretStore(policy, config));

  return createTemplateAction({
    id: 'golden-path:secrets:seed',
    description: `After publishing and catalog registration: creates each declared secret that has a value in the secret manager (${provider}), for every environment, at the path the generated ExternalSecret reads, and lists the secrets that still have none. A secret that exists is left unchanged. Only the component this task registered (catalogInfoUrl) can be seeded.`,
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
          z.array(z.string(), {
            description:
              'Declared secret names, UPPER_SNAKE (e.g. DB_PASSWORD). The value of each comes from the task secrets: `<NAME>@<environment>`, else `<NAME>` for every environment (the SecretValues form field writes them). A secret without a value is listed in `missing`.',
          }),
        environments: z =>
          z
            .array(z.string(), {
              description: `Environments to seed, each one of goldenPath.deploy.environments (${policy.deploy.environments.join(
                ', ',
              )}). Default: all of them.`,
            })
            .optional(),
        catalogInfoUrl: z =>
          z.string({
            description:
              "The catalogInfoUrl output of this task's catalog:register step. Seeding is refused unless the catalog has that location and the component is not managed by another one, so a task can only seed the component it published.",
          }),
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
        missing: z =>
          z.array(z.string(), {
            description:
              'Secrets that still have no value, as "<NAME> in <environment>": set them in the secret manager before deploying there.',
          }),
      },
    },
    async handler(ctx) {
      const { component, secrets: declared, catalogInfoUrl } = ctx.input;
      checkComponentName(component, 'component');
      checkSecretNames(declared);
      const environments = checkEnvironments(
        ctx.input.environments ?? policy.deploy.environments,
        policy,
      );

      // Every value is checked before the first write, so bad input leaves nothing behind.
      const writes: { path: string; value: string }[] = [];
      const unset: { name: string; environment: string; path: string }[] = [];
      for (const { name, environment, value } of readSecretValues(
        ctx.secrets,
        declared,
        environments,
      )) {
        const path = renderSecretsPath(pathPattern, {
          environment,
          component,
          key: name,
        });
        if (value === undefined) {
          unset.push({ name, environment, path });
        } else {
          writes.push({ path, value });
        }
      }

      if (ctx.isDryRun) {
        for (const { path } of writes) {
          ctx.logger.info(
            `Dry run: would create ${getStore().describe(
              path,
            )} unless it exists`,
          );
        }
        ctx.output(
          'seeded',
          writes.map(w => w.path),
        );
        ctx.output('existing', []);
        ctx.output(
          'missing',
          unset.map(u => `${u.name} in ${u.environment}`),
        );
        return;
      }

      if (writes.length > 0 || unset.length > 0) {
        await checkTaskRegisteredComponent(ctx, component, catalogInfoUrl);
      }

      const seeded: string[] = [];
      const existing: string[] = [];
      for (const { path, value } of writes) {
        // The checkpoint stores only 'created' or 'exists' in the task database, never the value.
        const result = await ctx.checkpoint({
          key: `golden-path.secrets.seed.${provider}.${path}`,
          fn: () => getStore().create(path, value, { requestId: ctx.task.id }),
        });
        if (result === 'created') {
          seeded.push(path);
          ctx.logger.info(`Created ${getStore().describe(path)}`);
        } else {
          existing.push(path);
          ctx.logger.info(
            `Left ${getStore().describe(path)} unchanged: it exists already`,
          );
        }
      }

      const missing: string[] = [];
      for (const { name, environment, path } of unset) {
        // A secret someone stored already is not missing; gcp-secret-manager cannot be asked, so it counts as missing.
        const exists =
          provider === 'gcp-secret-manager'
            ? false
            : await getStore().exists(path);
        if (!exists) {
          missing.push(`${name} in ${environment}`);
        }
      }
      if (missing.length > 0) {
        ctx.logger.warn(
          `No value yet for ${missing.join(
            ', ',
          )}: store them in the secret manager before deploying there, or the ExternalSecret cannot sync`,
        );
      }
      ctx.output('seeded', seeded);
      ctx.output('existing', existing);
      ctx.output('missing', missing);
    },
  });

  /**
   * A task may seed only the component it registered: the catalog must hold the location it registered, and the
   * component must not be managed by any other location. So nobody can pre-seed another service's secrets.
   */
  async function checkTaskRegisteredComponent(
    ctx: { getInitiatorCredentials(): Promise<any> },
    component: string,
    catalogInfoUrl: string,
  ) {
    if (!catalog) {
      return;
    }
    const credentials = await ctx.getInitiatorCredentials();
    const locationRef = `url:${catalogInfoUrl}`;
    const location = await catalog.getLocationByRef(locationRef, {
      credentials,
    });
    if (!location) {
      throw invalidInput(
        'catalogInfoUrl',
        catalogInfoUrl,
        'is not a location in the catalog: run golden-path:secrets:seed after catalog:register and pass its catalogInfoUrl output',
      );
    }
    const entity = await catalog.getEntityByRef(
      { kind: 'component', namespace: 'default', name: component },
      { credentials },
    );
    const managedBy = entity?.metadata.annotations?.[MANAGED_BY_LOCATION];
    if (entity && managedBy !== locationRef) {
      throw new NotAllowedError(
        `Refusing to seed secrets of component:default/${component}: it is managed by ${managedBy}, not by ${locationRef}, which this task registered`,
      );
    }
  }
}
