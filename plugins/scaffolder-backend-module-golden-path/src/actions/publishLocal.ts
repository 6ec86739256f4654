import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { ConflictError, InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'fs-extra';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readLocalPublishRoot } from '../localRepos/localPublishConfig';
import {
  checkComponentName,
  gitBranchNameProblem,
  invalidInput,
} from '../inputChecks';
import { assertNoSymlinkLeavesWorkspace } from '../workspace/symlinks';
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
      'Creates a git repository (one commit on the default branch) from the workspace under the local publish root. Fails, and changes nothing, when a repository of that name exists or a symbolic link in the workspace points outside it.',
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
            .string({
              description:
                "Branch to commit to, a name `git check-ref-format --branch` accepts. Defaults to 'main'.",
            })
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
      const branchProblem = gitBranchNameProblem(defaultBranch);
      if (branchProblem) {
        throw invalidInput('defaultBranch', defaultBranch, branchProblem);
      }
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
      // A link to a file outside the workspace would be published as a link to the backend's own files.
      await assertNoSymlinkLeavesWorkspace(sourceDir);
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
    // The git CLI, not a git library: it applies .gitattributes (eol=crlf for mvnw.cmd, say) exactly as every later
    // `git status` and push-to-checkout will, so the published working tree is clean and pushes to it succeed.
    const run = (...args: string[]) =>
      runGit(scratch, args, {
        GIT_AUTHOR_NAME: opts.author.name,
        GIT_AUTHOR_EMAIL: opts.author.email,
        GIT_COMMITTER_NAME: opts.author.name,
        GIT_COMMITTER_EMAIL: opts.author.email,
      });
    await run('init', '--quiet', `--initial-branch=${opts.defaultBranch}`);
    // Pushing to the checked-out branch updates the working tree, so the catalog sees pushed changes.
    await run('config', 'receive.denyCurrentBranch', 'updateInstead');
    await run('add', '--all');
    await run(
      'commit',
      '--quiet',
      '--no-verify',
      '--no-gpg-sign',
      '--allow-empty',
      '--message',
      opts.message,
    );
    const hash = (await run('rev-parse', 'HEAD')).trim();
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

/**
 * Runs git in `dir` without the backend user's global or system config (no hooks path, autocrlf or signing from
 * there), so every published repository is built the same way on every machine.
 */
function runGit(
  dir: string,
  args: string[],
  env: Record<string, string>,
): Promise<string> {
  const cleanEnv = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('GIT_')),
  );
  return new Promise((resolvePromise, reject) => {
    execFile(
      'git',
      args,
      {
        cwd: dir,
        env: {
          ...cleanEnv,
          ...env,
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_CONFIG_GLOBAL: '/dev/null',
          GIT_TERMINAL_PROMPT: '0',
        },
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error) {
          const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
          reject(
            new Error(
              missing
                ? 'Local publishing needs the git command on the backend host; install git'
                : `git ${args[0]} failed: ${
                    String(stderr).trim() || error.message
                  }`,
            ),
          );
        } else {
          resolvePromise(String(stdout));
        }
      },
    );
  });
}
