import { AuthService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { examples } from './catalogRegister.examples';

/**
 * Registers the repository a template just published, as the scaffolder itself rather than as the user who runs
 * the template. In production only the platform team may register catalog locations (see the permission policy),
 * while developers may run templates: the template (platform-team code, registered by the platform team) is what
 * decides which URL is registered, so the registration is the template's act. The catalog's rules still decide
 * which kinds such a location may hold.
 */
export function createCatalogRegisterAction(options: {
  catalog: CatalogService;
  auth: AuthService;
  integrations: ScmIntegrationRegistry;
}) {
  const { catalog, auth, integrations } = options;
  return createTemplateAction({
    id: 'golden-path:catalog:register',
    description:
      "Registers the repository the template published in the catalog, with the scaffolder's own credentials (developers may run templates without the right to register arbitrary locations)",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        catalogInfoUrl: z =>
          z
            .string({
              description:
                'Absolute URL of the catalog-info.yaml to register, e.g. the catalogInfoUrl output of golden-path:publish:local',
            })
            .optional(),
        repoContentsUrl: z =>
          z
            .string({
              description:
                'Absolute URL of the repository root (publish:github output repoContentsUrl); used with catalogInfoPath',
            })
            .optional(),
        catalogInfoPath: z =>
          z
            .string({
              description:
                'Path of the descriptor inside repoContentsUrl; default /catalog-info.yaml',
            })
            .optional(),
      },
      output: {
        entityRef: z =>
          z
            .string({
              description: 'The registered Component (or first entity)',
            })
            .optional(),
        catalogInfoUrl: z =>
          z.string({ description: 'The URL that was registered' }),
      },
    },
    async handler(ctx) {
      const { catalogInfoUrl: direct, repoContentsUrl } = ctx.input;
      if (!direct === !repoContentsUrl) {
        throw new InputError(
          'golden-path:catalog:register needs exactly one of catalogInfoUrl and repoContentsUrl',
        );
      }
      let target = direct!;
      if (repoContentsUrl) {
        const integration = integrations.byUrl(repoContentsUrl);
        if (!integration) {
          throw new InputError(
            `repoContentsUrl: no integration is configured for ${repoContentsUrl}`,
          );
        }
        target = integration.resolveUrl({
          base: repoContentsUrl,
          url: ctx.input.catalogInfoPath ?? '/catalog-info.yaml',
        });
      }
      ctx.output('catalogInfoUrl', target);
      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: would register ${target}`);
        return;
      }
      const credentials = await auth.getOwnServiceCredentials();
      ctx.logger.info(`Registering ${target} in the catalog`);
      // A task resumed after a crash may find its location already registered: that is the outcome it wanted.
      await ctx.checkpoint({
        key: `golden-path-catalog-register:${target}`,
        fn: async () => {
          await catalog
            .addLocation({ type: 'url', target }, { credentials })
            .catch(error => {
              if (
                error instanceof ConflictError ||
                error?.name === 'ConflictError'
              ) {
                ctx.logger.info(`${target} was already registered`);
                return;
              }
              throw error;
            });
        },
      });
      const { entities } = await catalog.addLocation(
        { type: 'url', target, dryRun: true },
        { credentials },
      );
      const entity = pickEntity(entities);
      if (entity) {
        ctx.output('entityRef', stringifyEntityRef(entity));
      }
    },
  });
}

/** The entity a user wants to open: the Component if there is one, else the first declared entity. */
function pickEntity(entities: Entity[]): Entity | undefined {
  const declared = entities.filter(
    e => !e.metadata.name.startsWith('generated-'),
  );
  return (
    declared.find(e => e.kind === 'Component') ?? declared[0] ?? entities[0]
  );
}
