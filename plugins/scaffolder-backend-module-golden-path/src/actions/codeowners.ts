import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { GoldenPathPolicy, ownerRefProblem } from '@golden-path/common';
import YAML from 'yaml';
import { invalidInput } from '../inputChecks';
import {
  readWorkspaceFile,
  writeWorkspaceFile,
} from '../workspace/workspaceFiles';
import { catalogInfoPathInput } from './catalogInfoPathInput';
import { examples } from './codeowners.examples';

export const CODEOWNERS_PATH = '.github/CODEOWNERS';

/** The annotation GitHub org ingestion puts on a group: `<org>/<team-slug>`. */
export const GITHUB_TEAM_SLUG_ANNOTATION = 'github.com/team-slug';
/** The annotation GitHub org ingestion puts on a user: the GitHub login. */
export const GITHUB_USER_LOGIN_ANNOTATION = 'github.com/user-login';

const GITHUB_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const TEAM_SLUG = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

/**
 * Writes .github/CODEOWNERS from the owner in catalog-info.yaml, so code review follows catalog ownership. Keeps a
 * CODEOWNERS the repository already has. Writes only handles GitHub resolves to the owner: a team `@org/slug`
 * (the group's `github.com/team-slug` annotation, else the policy's `github.org` and the group's name) or a user's
 * `github.com/user-login`; when it cannot know the handle, it writes no CODEOWNERS and says why.
 *
 * @public
 */
export function createCodeownersAction(options: {
  policy: Pick<GoldenPathPolicy, 'github'>;
  catalog?: CatalogService;
}) {
  const { policy, catalog } = options;
  return createTemplateAction({
    id: 'golden-path:codeowners',
    description:
      "Writes .github/CODEOWNERS from catalog-info.yaml's spec.owner: a group becomes @<org>/<team> (its github.com/team-slug annotation, else goldenPath.github.org and the group name), a user their github.com/user-login. Writes nothing when the handle is unknown.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        githubOrg: z =>
          z
            .string({
              description:
                'GitHub organisation that holds the team, e.g. acme → @acme/team-payments. Default: goldenPath.github.org.',
            })
            .optional(),
        catalogInfoPath: catalogInfoPathInput,
      },
      output: {
        owner: z =>
          z
            .string({
              description:
                'The code owner written, e.g. @acme/team-payments; absent when no CODEOWNERS was written',
            })
            .optional(),
      },
    },
    async handler(ctx) {
      const catalogInfoPath = ctx.input.catalogInfoPath ?? 'catalog-info.yaml';
      const githubOrg = ctx.input.githubOrg ?? policy.github.org;
      if (githubOrg !== undefined && !GITHUB_NAME.test(githubOrg)) {
        throw invalidInput(
          'githubOrg',
          githubOrg,
          'must be a GitHub organisation name (letters, digits and single hyphens, at most 39 characters)',
        );
      }
      const text = await readWorkspaceFile(ctx.workspacePath, catalogInfoPath);
      const ownerRef = text ? YAML.parse(text)?.spec?.owner : undefined;
      if (ownerRef === undefined || ownerRef === '') {
        throw new InputError(
          `${catalogInfoPath} has no spec.owner to derive CODEOWNERS from`,
        );
      }
      const problem = ownerRefProblem(ownerRef);
      if (problem) {
        throw invalidInput(
          `spec.owner in ${catalogInfoPath}`,
          ownerRef,
          problem,
        );
      }
      const ref = parseEntityRef(ownerRef, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      });
      let entity: Entity | undefined;
      if (catalog) {
        entity = await catalog.getEntityByRef(ref, {
          credentials: await ctx.getInitiatorCredentials(),
        });
      }
      const { handle, reason } = githubHandle(ref, entity, githubOrg);
      if (!handle) {
        ctx.logger.warn(
          `No CODEOWNERS written for ${stringifyEntityRef(ref)}: ${reason}`,
        );
        return;
      }
      await writeWorkspaceFile(
        ctx.workspacePath,
        CODEOWNERS_PATH,
        `# Owner in Backstage: ${stringifyEntityRef(ref)}.\n*    ${handle}\n`,
        { onlyIfMissing: true },
      );
      ctx.output('owner', handle);
    },
  });
}

function githubHandle(
  ref: { kind: string; name: string },
  entity: Entity | undefined,
  githubOrg: string | undefined,
): { handle?: string; reason?: string } {
  const annotations = entity?.metadata.annotations ?? {};
  if (ref.kind.toLocaleLowerCase('en-US') === 'user') {
    const login = annotations[GITHUB_USER_LOGIN_ANNOTATION];
    return login && GITHUB_NAME.test(login)
      ? { handle: `@${login}` }
      : {
          reason: `the user has no ${GITHUB_USER_LOGIN_ANNOTATION} annotation, so their GitHub login is unknown`,
        };
  }
  const slug = annotations[GITHUB_TEAM_SLUG_ANNOTATION];
  if (slug) {
    const [org, team, ...rest] = slug.split('/');
    if (
      rest.length === 0 &&
      GITHUB_NAME.test(org) &&
      TEAM_SLUG.test(team ?? '')
    ) {
      return { handle: `@${org}/${team}` };
    }
  }
  if (githubOrg) {
    return { handle: `@${githubOrg}/${ref.name}` };
  }
  return {
    reason: `the GitHub organisation is unknown: set goldenPath.github.org, or give the group a ${GITHUB_TEAM_SLUG_ANNOTATION} annotation (GitHub org ingestion does)`,
  };
}
