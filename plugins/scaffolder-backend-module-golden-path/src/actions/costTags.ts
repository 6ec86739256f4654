import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  GoldenPathPolicy,
  assertValidCostTags,
  formatOtelResourceAttributes,
  projectCostTags,
} from '@golden-path/common';
import { annotateCatalogInfo } from '../workspace/catalogInfo';
import { upsertEnvFile } from '../workspace/envFile';
import {
  DEPLOY_BASE_DIR,
  overlayDir,
  updateKustomization,
  upsertListEntry,
} from '../workspace/kustomization';
import { writeWorkspaceFile } from '../workspace/workspaceFiles';
import { catalogInfoPathInput } from './catalogInfoPathInput';
import { checkComponentName } from '../inputChecks';
import { examples } from './costTags.examples';
import { OTEL_ENV_FILE, OTEL_ENV_HEADER } from '../workspace/otelEnv';

/** The cost tag whose value differs per deploy environment; each overlay sets it to its own environment. */
const ENVIRONMENT_TAG = 'environment';
export const CLOUD_TAGS_FILE = 'infra/cost-tags.auto.tfvars.json';

/**
 * Checks cost tags against the policy and projects them everywhere cost is attributed: catalog labels, Kubernetes
 * labels on workloads and pod templates, OpenTelemetry resource attributes, and a Terraform variables file of
 * cloud tags.
 *
 * @public
 */
export function createCostTagsAction(options: { policy: GoldenPathPolicy }) {
  const { policy } = options;
  return createTemplateAction({
    id: 'golden-path:cost-tags',
    description:
      'Validates cost tags against the policy and writes them to catalog-info.yaml labels, kustomize labels, OTEL_RESOURCE_ATTRIBUTES and infra/cost-tags.auto.tfvars.json',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z.string({
            description:
              'Component name; names the <name>-otel ConfigMap the overlays merge into',
          }),
        costTags: z =>
          z.record(z.string(), {
            description: `Cost tags by name; the policy requires ${policy.costTags.tags
              .filter(t => t.required)
              .map(t => t.name)
              .join(', ')}`,
          }),
        catalogInfoPath: catalogInfoPathInput,
      },
      output: {
        k8sLabels: z =>
          z.record(z.string(), {
            description: 'Labels set on workloads and pod templates',
          }),
        otelResourceAttributes: z =>
          z.string({
            description: 'The OTEL_RESOURCE_ATTRIBUTES value (base)',
          }),
      },
    },
    async handler(ctx) {
      const {
        name,
        costTags,
        catalogInfoPath = 'catalog-info.yaml',
      } = ctx.input;
      checkComponentName(name);
      try {
        assertValidCostTags(policy, costTags);
      } catch (error) {
        throw new InputError(
          `Cost tags break the policy: ${(error as Error).message}`,
        );
      }

      const projection = projectCostTags(policy, costTags);
      const otelResourceAttributes = formatOtelResourceAttributes(
        projection.otelResourceAttributes,
      );
      await annotateCatalogInfo(ctx.workspacePath, catalogInfoPath, {
        labels: projection.catalogLabels,
      });
      await upsertEnvFile(
        ctx.workspacePath,
        OTEL_ENV_FILE,
        { OTEL_RESOURCE_ATTRIBUTES: otelResourceAttributes },
        OTEL_ENV_HEADER,
      );
      await updateKustomization(ctx.workspacePath, DEPLOY_BASE_DIR, doc => {
        doc.set(
          'labels',
          doc.createNode([podTemplateLabels(projection.k8sLabels)]),
        );
      });
      await writeEnvironmentOverlays(ctx.workspacePath, name, costTags);
      await writeWorkspaceFile(
        ctx.workspacePath,
        CLOUD_TAGS_FILE,
        `${JSON.stringify({ cost_tags: projection.cloudTags }, null, 2)}\n`,
      );

      ctx.logger.info(
        `Cost tags applied: ${Object.keys(projection.k8sLabels).join(', ')}`,
      );
      ctx.output('k8sLabels', projection.k8sLabels);
      ctx.output('otelResourceAttributes', otelResourceAttributes);
    },
  });

  /** Each overlay re-labels the environment tag and re-states OTEL_RESOURCE_ATTRIBUTES with its environment. */
  async function writeEnvironmentOverlays(
    workspacePath: string,
    name: string,
    costTags: Record<string, string>,
  ) {
    const hasEnvironmentTag = policy.costTags.tags.some(
      t => t.name === ENVIRONMENT_TAG,
    );
    if (!hasEnvironmentTag) {
      return;
    }
    for (const environment of policy.deploy.environments) {
      const projection = projectCostTags(policy, {
        ...costTags,
        [ENVIRONMENT_TAG]: environment,
      });
      const envTag = policy.costTags.tags.find(
        t => t.name === ENVIRONMENT_TAG,
      )!;
      await updateKustomization(workspacePath, overlayDir(environment), doc => {
        doc.set(
          'labels',
          doc.createNode([
            podTemplateLabels({ [envTag.keys.k8sLabel]: environment }),
          ]),
        );
        upsertListEntry(
          doc,
          'configMapGenerator',
          entry => entry?.name === `${name}-otel`,
          {
            name: `${name}-otel`,
            behavior: 'merge',
            literals: [
              `OTEL_RESOURCE_ATTRIBUTES=${formatOtelResourceAttributes(
                projection.otelResourceAttributes,
              )}`,
            ],
          },
        );
      });
    }
  }
}

/** Labels on workloads and their pod templates (where cost tools read them), but not on selectors, which are immutable. */
function podTemplateLabels(pairs: Record<string, string>) {
  return { pairs, includeSelectors: false, includeTemplates: true };
}
