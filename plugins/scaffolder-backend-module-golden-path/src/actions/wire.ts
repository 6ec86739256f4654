import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  createTemplateAction,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { GoldenPathPolicy } from '@golden-path/common';
import { validate } from 'jsonschema';
import { CI_WORKFLOW_FILE, templateJobs } from '../ci/ciWorkflow';
import { readWorkspaceFile } from '../workspace/workspaceFiles';
import { catalogInfoPathInput } from './catalogInfoPathInput';
import {
  checkChaosAllowed,
  createChaosAction,
  dependenciesFromEnv,
} from './chaos';
import { createCiAction } from './ci';
import { createCodeownersAction } from './codeowners';
import { createCostTagsAction } from './costTags';
import { createDeployManifestsAction } from './deployManifests';
import { createProvenanceAction } from './provenance';
import { createSecretsAction } from './secrets';
import { createTracingAction, LANGUAGES } from './tracing';
import { examples } from './wire.examples';

/**
 * The whole golden path in one step: provenance, CODEOWNERS, tracing, cost tags, secrets, deploy manifests, chaos
 * experiments (opt-in) and the shared CI jobs, in that order,
 * each by its own action so the rules and the files are the same as when a template calls them one by one.
 *
 * @public
 */
export function createWireAction(options: {
  policy: GoldenPathPolicy;
  config?: Config;
  catalog?: CatalogService;
}) {
  const { policy, catalog } = options;
  const provenance = createProvenanceAction();
  const codeowners = createCodeownersAction({ policy, catalog });
  const tracing = createTracingAction({ policy });
  const costTags = createCostTagsAction({ policy });
  const secrets = createSecretsAction({ policy });
  const deploy = createDeployManifestsAction({ policy });
  const chaos = createChaosAction({ policy });
  const ci = createCiAction();

  return createTemplateAction({
    id: 'golden-path:wire',
    description:
      'Applies the golden path to a rendered repository in one step: golden-path:catalog:provenance, :codeowners, :tracing, :cost-tags, :secrets, :deploy, :chaos and :ci',
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
        chaos: z =>
          z
            .boolean({
              description:
                'The service opts in to chaos experiments (golden-path:chaos), toward the URLs in deploy.env and the OpenTelemetry collector. Defaults to false.',
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
        chaos: chaosEnabled = false,
        githubOrg,
        catalogInfoPath,
      } = ctx.input;
      checkChaosAllowed(chaosEnabled, policy);
      templateJobs(
        await readWorkspaceFile(ctx.workspacePath, CI_WORKFLOW_FILE),
      );
      const steps: Array<[TemplateAction<any, any, any>, object]> = [
        ...(ctx.templateInfo?.entityRef
          ? [[provenance, {}] as [TemplateAction<any, any, any>, object]]
          : []),
        [codeowners, { githubOrg }],
        [tracing, { language, serviceName: name }],
        [costTags, { name, costTags: tags }],
        [secrets, { name, secrets: declared }],
        [deploy, { ...deployInput, name, secrets: declared }],
        [
          chaos,
          {
            name,
            enabled: chaosEnabled,
            dependencies: dependenciesFromEnv(deployInput.env),
          },
        ],
        [ci, { language, repository: githubRepository(deployInput.gitUrl) }],
      ];
      // Every sub-input goes through its action's own schema, as the scaffolder does for a step, and all of them
      // before the first file is written, so wire accepts nothing the actions would refuse and fails cleanly.
      const inputs = steps.map(([action, input]) => {
        const takesCatalogInfo = Boolean(
          (action.schema?.input as any)?.properties?.catalogInfoPath,
        );
        const full = JSON.parse(
          JSON.stringify(
            takesCatalogInfo ? { ...input, catalogInfoPath } : input,
          ),
        );
        checkInput(action, full);
        return full;
      });
      // Sub-steps log to this step; their outputs are not this action's outputs.
      for (const [index, [action]] of steps.entries()) {
        await action.handler({
          ...ctx,
          input: inputs[index],
          output: () => {},
        } as any);
      }
    },
  });
}

/** owner/name when Flux clones from github.com, which is also where CI signs the images. */
function githubRepository(gitUrl: unknown): string | undefined {
  const match =
    typeof gitUrl === 'string'
      ? /^https:\/\/github\.com\/([^/]+\/[^/]+?)(\.git)?$/.exec(gitUrl)
      : null;
  return match?.[1];
}

function checkInput(
  action: TemplateAction<any, any, any>,
  input: Record<string, unknown>,
) {
  const schema = action.schema?.input;
  if (!schema) {
    return;
  }
  const result = validate(input, schema as any);
  if (!result.valid) {
    throw new InputError(
      `Invalid input for ${action.id} (from golden-path:wire): ${result.errors
        .map(
          error =>
            `${error.property.replace(/^instance\.?/, '') || 'input'} ${
              error.message
            }`,
        )
        .join('; ')}`,
    );
  }
}
