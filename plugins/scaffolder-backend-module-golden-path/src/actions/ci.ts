import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { CI_WORKFLOW_FILE, composeCiWorkflow } from '../ci/ciWorkflow';
import { DEPENDABOT_FILE, dependabotConfig } from '../ci/dependabot';
import { verifySection, withVerifySection } from '../ci/verifyReadme';
import { invalidInput } from '../inputChecks';
import { RELEASE_ENV_FILE } from '../manifests/promotion';
import {
  readWorkspaceFile,
  writeWorkspaceFile,
} from '../workspace/workspaceFiles';
import { examples } from './ci.examples';
import { LANGUAGES } from './tracing';

/** owner/name of a GitHub repository. */
const GITHUB_REPOSITORY = /^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/;

/**
 * Completes a repository's CI with what every golden-path repository shares: the workflow header, a gitleaks
 * secret scan and the image job (Trivy gate on fixable critical findings, push with SBOM and provenance, keyless
 * cosign signature of the digest), every action pinned by commit SHA; a Dependabot configuration for the language,
 * the actions and the base images; and a README section on verifying a signature. The template renders only its
 * own build and test jobs into `.github/workflows/ci.yaml`.
 *
 * @public
 */
export function createCiAction() {
  return createTemplateAction({
    id: 'golden-path:ci',
    description: `Completes ${CI_WORKFLOW_FILE} around the template's own jobs: header, secret scan, and an image job that scans (Trivy), pushes with SBOM and provenance, and signs keylessly (cosign, GitHub OIDC); writes ${DEPENDABOT_FILE} and a README section on verifying signatures. Safe to run again.`,
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        language: z =>
          z.enum(LANGUAGES, {
            description: `Language of the repository, for Dependabot's dependency updates: ${LANGUAGES.join(
              ', ',
            )}`,
          }),
        repository: z =>
          z
            .string({
              description:
                "GitHub repository as owner/name, for the signer identity in the README's cosign verify command. Defaults to a placeholder <owner>/<repository>.",
            })
            .optional(),
      },
      output: {
        files: z =>
          z.array(z.string(), {
            description: 'Paths written, relative to the workspace',
          }),
      },
    },
    async handler(ctx) {
      const { language, repository } = ctx.input;
      if (!LANGUAGES.includes(language)) {
        throw invalidInput(
          'language',
          language,
          `must be one of ${LANGUAGES.join(', ')}`,
        );
      }
      // An empty string is what a template renders for "not on GitHub".
      if (repository && !GITHUB_REPOSITORY.test(repository)) {
        throw invalidInput(
          'repository',
          repository,
          'must be a GitHub repository as owner/name, e.g. acme/payments-api',
        );
      }
      const existing = await readWorkspaceFile(
        ctx.workspacePath,
        CI_WORKFLOW_FILE,
      );
      const files = [CI_WORKFLOW_FILE, DEPENDABOT_FILE];
      await writeWorkspaceFile(
        ctx.workspacePath,
        CI_WORKFLOW_FILE,
        composeCiWorkflow(existing),
      );
      await writeWorkspaceFile(
        ctx.workspacePath,
        DEPENDABOT_FILE,
        dependabotConfig(language),
      );
      const releaseEnv = await readWorkspaceFile(
        ctx.workspacePath,
        RELEASE_ENV_FILE,
      );
      const image = releaseEnv?.match(/^IMAGE=(\S+)$/m)?.[1];
      const readme = await readWorkspaceFile(ctx.workspacePath, 'README.md');
      await writeWorkspaceFile(
        ctx.workspacePath,
        'README.md',
        withVerifySection(
          readme ?? '',
          verifySection({ image, repository: repository || undefined }),
        ),
      );
      files.push('README.md');
      ctx.logger.info(
        `${
          ctx.isDryRun ? 'Dry run: wrote' : 'Wrote'
        } the shared CI jobs (secret scan; image scan, push with SBOM and provenance, keyless signature) and Dependabot for ${language}`,
      );
      ctx.output('files', files);
    },
  });
}
