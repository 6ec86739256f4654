import { Config } from '@backstage/config';
import {
  createTemplateAction,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { GoldenPathPolicy } from '@golden-path/common';
import { catalogInfoPathInput } from './catalogInfoPathInput';
import { createCodeownersAction } from './codeowners';
import { createCostTagsAction } from './costTags';
import { createDeployManifestsAction } from './deployManifests';
import { createProvenanceAction } from './provenance';
import { createSecretsAction } from './secrets';
import { createTracingAction, LANGUAGES } from './tracing';
import { examples } from './wire.examples';

/**
 * The whole golden path in one step: provenance, CODEOWNERS, tracing, cost tags, secrets and deploy manifests, in that order,
 * each by its own action so the rules and the files are the same as when a template calls them one by one.
 *
 * @public
 */
export function createWireAction(options: {
  policy: GoldenPathPolicy;
  config?: Config;
}) {
  const { policy } = options;
  const provenance = createProvenanceAction();
  const codeowners = createCodeownersAction();
  const tracing = createTracingAction({ policy });
  const costTags = createCostTagsAction({ policy });
  const secrets = createSecretsAction({ policy });
  const deploy = createDeployManifestsAction({ policy });

  return createTemplateAction({
    id: 'golden-path:wire',
    description:
      'Applies the golden path to a rendered repository in one step: golden-path:catalog:provenance, :codeowners, :tracing, :cost-tags, :secrets and :deploy',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z.string({
            description: 'Component name (also the OpenTelemetry service.name)',
          }),
        language: z =>
          z.enum(LANGUAGES, {
            description: `Language for the tracing bootstrap: ${LANGUAGES.join(
              ', ',
            )}`,
          }),
        costTags: z =>
          z.record(z.string(), {
            description: 'Cost tags by name, checked against the policy',
          }),
        secrets: z =>
          z
            .array(z.string(), {
              description:
                'Declared secret names, UPPER_SNAKE. Defaults to none.',
            })
            .optional(),
        deploy: z =>
          z
            .record(z.unknown(), {
              description:
                'Input of golden-path:deploy other than name and secrets (workload, port, image, healthPaths, resources, env, allowEgressTo, hpa, natsJetStream, gitUrl, gitPrivate)',
            })
            .optional(),
        githubOrg: z =>
          z
            .string({
              description:
                'GitHub organisation for CODEOWNERS team handles (see golden-path:codeowners)',
            })
            .optional(),
        catalogInfoPath: catalogInfoPathInput,
      },
    },
    async handler(ctx) {
      const {
        name,
        language,
        costTags: tags,
        secrets: declared = [],
        deploy: deployInput = {},
        githubOrg,
        catalogInfoPath,
      } = ctx.input;
      // Sub-steps log to this step; their outputs are not this action's outputs.
      const run = (
        action: TemplateAction<any, any, any>,
        input: Record<string, unknown>,
      ) =>
        action.handler({
          ...ctx,
          input: { ...input, catalogInfoPath },
          output: () => {},
        } as any);

      if (ctx.templateInfo?.entityRef) {
        await run(provenance, {});
      }
      await run(codeowners, { githubOrg });
      await run(tracing, { language, serviceName: name });
      await run(costTags, { name, costTags: tags });
      await run(secrets, { name, secrets: declared });
      await run(deploy, { ...deployInput, name, secrets: declared });
    },
  });
}
