import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { GOLDEN_PATH_ANNOTATIONS } from '@golden-path/common';
import { annotateCatalogInfo } from '../workspace/catalogInfo';
import { catalogInfoPathInput } from './catalogInfoPathInput';
import { examples } from './provenance.examples';

/**
 * Stamps which template, at which version, generated the repository into its catalog-info.yaml, so the portal can
 * show provenance and find services made from an old template version.
 *
 * @public
 */
export function createProvenanceAction() {
  return createTemplateAction({
    id: 'golden-path:catalog:provenance',
    description:
      "Stamps the template's entity ref and version (the template's backstage.io/template-version annotation) into catalog-info.yaml",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        catalogInfoPath: catalogInfoPathInput,
      },
      output: {
        templateRef: z =>
          z.string({ description: 'Entity ref of the template' }),
        templateVersion: z =>
          z.string({ description: "The template's version, or 'unversioned'" }),
      },
    },
    async handler(ctx) {
      const templateRef = ctx.templateInfo?.entityRef;
      if (!templateRef) {
        throw new InputError(
          'golden-path:catalog:provenance runs inside a template registered in the catalog; this task has no template entity ref',
        );
      }
      const templateVersion =
        ctx.templateInfo?.entity?.metadata.annotations?.[
          GOLDEN_PATH_ANNOTATIONS.templateVersion
        ] ?? 'unversioned';
      await annotateCatalogInfo(
        ctx.workspacePath,
        ctx.input.catalogInfoPath ?? 'catalog-info.yaml',
        {
          annotations: {
            [GOLDEN_PATH_ANNOTATIONS.sourceTemplate]: templateRef,
            [GOLDEN_PATH_ANNOTATIONS.templateVersion]: templateVersion,
          },
        },
      );
      ctx.output('templateRef', templateRef);
      ctx.output('templateVersion', templateVersion);
    },
  });
}
