import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { ConflictError, InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'fs-extra';
import git from 'isomorphic-git';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readLocalPublishRoot } from '../localRepos/localPublishConfig';
import { checkComponentName } from '../inputChecks';
import { examples } from './publishLocal.examples';

/**
 * Publishes the task workspace as a new git repository on the backend's disk, under
 * `goldenPath.publish.local.rootDirectory`. The catalog can read it through the local-repo URL reader, so
 * `catalog:register` with the returned `catalogInfoUrl` works offline.
 *
 * @public
 */
export function createPublishLocalAction(options: { config: Config }) {
  const { config } = options;
  return createTemplateAction({
    id: 'golden-path:publish:local',
    description:
      'Creates a git repository (one commit on the default branch) from the workspace under the local publish root. Fails, and changes nothing, when a repository of that name exists.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoName: z =>
          z.string({
            description:
              'Repository name: lowercase letters, digits and single hyphens, at most 63 characters.',
          }),
        sourcePath: z =>
          z
            .string({
              description:
                'Sub-folder of the workspace to publish. Defaults to the whole workspace.',
            })
            .optional(),
        defaultBranch: z =>
          z
            .string({ description: "Branch to commit to. Defaults to 'main'." })
            .regex(/^[A-Za-z0-9._/-]+$/, 'must be a valid git branch name')
            .optional(),
        commitMessage: z =>
          z
            .string({
              description:
                'Message of the initial commit. Defaults to scaffolder.defaultCommitMessage.',
            })
            .optional(),
        catalogInfoPath: z =>
          z
            .string({
              description:
                "Path of the catalog descriptor inside the repository. Defaults to '/catalog-info.yaml'.",
            })
            .optional(),
      },
      output: {
        remoteUrl: z =>
          z.string({ description: 'file: URL of the new repository' }),
        cloneUrl: z =>
          z.string({
            description: 'Path to pass to `git clone` on the backend host',
          }),
        repoContentsUrl: z =>
          z.string({ description: 'URL of the repository contents' }),
        catalogInfoUrl: z =>
          z.string({
            description:
              'URL of catalog-info.yaml, for catalog:register (catalogInfoUrl input)',
          }),
        commitHash: z =>
          z.string({ description: 'Hash of the initial commit' }),
      },
    },
    async handler(ctx) {
      const {
        repoName,
        sourcePath,
        defaultBranch = 'main',
        catalogInfoPath = '/catalog-info.yaml',
      } = ctx.input;
      checkComponentName(repoName, 'repoName');
      const root = readLocalPublishRoot(config);
      if (!root) {
        throw new InputError(
          'Local publishing is not configured: set goldenPath.publish.local.rootDirectory in app-config, or publish to GitHub instead',
        );
      }
      const sourceDir = resolveSafeChildPath(
        ctx.workspacePath,
        sourcePath ?? '.',
      );
      const target = join(root, repoName);
      const repoContentsUrl = pathToFileURL(target).toString();
      const outputs = {
        remoteUrl: repoContentsUrl,
        cloneUrl: target,
        repoContentsUrl,
        catalogInfoUrl: `${repoContentsUrl}/${catalogInfoPath.replace(
          /^\/+/,
          '',
        )}`,
      };

      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: would publish ${sourceDir} to ${target}`);
        ctx.output('commitHash', '0'.repeat(40));
        for (const [name, value] of Object.entries(outputs)) {
          ctx.output(name as keyof typeof outputs, value);
        }
        return;
      }

      // A resumed task gets the stored result instead of failing on the repository it created itself.
      const commitHash = await ctx.checkpoint({
        key: `golden-path.publish.local.${repoName}`,
        fn: async () =>
          publishAsNewRepository({
            sourceDir,
            root,
            repoName,
            scratchName: `.${repoName}.${ctx.task.id}.tmp`,
            defaultBranch,
            message:
              ctx.input.commitMessage ??
              config.getOptionalString('scaffolder.defaultCommitMessage') ??
              'Initial commit',
            author: authorOf(ctx.user?.entity, config),
          }),
      });

      ctx.logger.info(`Published ${repoName} to ${target} at ${commitHash}`);
      ctx.output('commitHash', commitHash);
      for (const [name, value] of Object.entries(outputs)) {
        ctx.output(name as keyof typeof outputs, value);
      }
    },
  });
}

/**
 * Builds the repository in a scratch folder beside the target and renames it into place, so a failure never
 * leaves a half-written repository and an existing one is never touched.
 */
async function publishAsNewRepository(opts: {
  sourceDir: string;
  root: string;
  repoName: string;
  scratchName: string;
  defaultBranch: string;
  message: string;
  author: { name: string; email: string };
}): Promise<string> {
  const target = join(opts.root, opts.repoName);
  const alreadyExists = () =>
    new ConflictError(
      `A repository named "${opts.repoName}" already exists at ${target}; choose another name or remove that folder first`,
    );
  if (await fs.pathExists(target)) {
    throw alreadyExists();
  }
  const scratch = join(opts.root, opts.scratchName);
  await fs.remove(scratch);
  await fs.ensureDir(opts.root);
  try {
    await fs.copy(opts.sourceDir, scratch, {
      filter: src => !src.split(/[\\/]/).includes('.git'),
    });
    await git.init({ fs, dir: scratch, defaultBranch: opts.defaultBranch });
    await git.add({ fs, dir: scratch, filepath: '.' });
    const hash = await git.commit({
      fs,
      dir: scratch,
      message: opts.message,
      author: opts.author,
    });
    // Pushing to the checked-out branch updates the working tree, so the catalog sees pushed changes.
    await git.setConfig({
      fs,
      dir: scratch,
      path: 'receive.denyCurrentBranch',
      value: 'updateInstead',
    });
    if (await fs.pathExists(target)) {
      throw alreadyExists();
    }
    await fs.rename(scratch, target);
    return hash;
  } finally {
    await fs.remove(scratch);
  }
}

function authorOf(
  user:
    | {
        spec?: { profile?: { displayName?: string; email?: string } };
        metadata: { name: string };
      }
    | undefined,
  config: Config,
): { name: string; email: string } {
  const profile = user?.spec?.profile;
  return {
    name:
      profile?.displayName ??
      user?.metadata.name ??
      config.getOptionalString('scaffolder.defaultAuthor.name') ??
      'Scaffolder',
    email:
      profile?.email ??
      config.getOptionalString('scaffolder.defaultAuthor.email') ??
      'scaffolder@backstage.io',
  };
}
