import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import YAML from 'yaml';
import {
  readWorkspaceFile,
  writeWorkspaceFile,
} from '../workspace/workspaceFiles';
import { catalogInfoPathInput } from './catalogInfoPathInput';
import { examples } from './codeowners.examples';

export const CODEOWNERS_PATH = '.github/CODEOWNERS';

/**
 * Writes .github/CODEOWNERS from the owner in catalog-info.yaml, so code review follows catalog ownership. Keeps a
 * CODEOWNERS the repository already has.
 *
 * @public
 */
export function createCodeownersAction() {
  return createTemplateAction({
    id: 'golden-path:codeowners',
    description:
      "Writes .github/CODEOWNERS from catalog-info.yaml's spec.owner (a group becomes @<org>/<group> when githubOrg is given, else @<group>)",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        githubOrg: z =>
          z
            .string({
              description:
                'GitHub organisation that holds the team, e.g. acme → @acme/team-payments. Leave out for local repositories.',
            })
            .regex(/^[A-Za-z0-9-]+$/, 'must be a GitHub organisation name')
            .optional(),
        catalogInfoPath: catalogInfoPathInput,
      },
      output: {
        owner: z =>
          z.string({
            description: 'The code owner written, e.g. @acme/team-payments',
          }),
      },
    },
    async handler(ctx) {
      const catalogInfoPath = ctx.input.catalogInfoPath ?? 'catalog-info.yaml';
      const text = await readWorkspaceFile(ctx.workspacePath, catalogInfoPath);
      const ownerRef = text ? YAML.parse(text)?.spec?.owner : undefined;
      if (typeof ownerRef !== 'string' || ownerRef === '') {
        throw new InputError(
          `${catalogInfoPath} has no spec.owner to derive CODEOWNERS from`,
        );
      }
      const { kind, name } = parseEntityRef(ownerRef, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      });
      const owner =
        kind.toLocaleLowerCase('en-US') === 'group' && ctx.input.githubOrg
          ? `@${ctx.input.githubOrg}/${name}`
          : `@${name}`;
      await writeWorkspaceFile(
        ctx.workspacePath,
        CODEOWNERS_PATH,
        `# Owner in Backstage: ${ownerRef}. GitHub teams are written @<org>/<team>.\n*    ${owner}\n`,
        { onlyIfMissing: true },
      );
      ctx.output('owner', owner);
    },
  });
}
