import type { Language } from '../actions/tracing';

export const DEPENDABOT_FILE = '.github/dependabot.yml';

/** Dependabot's ecosystem for each golden-path language's dependency manifest. */
const ECOSYSTEM: Record<Language, string> = {
  go: 'gomod',
  java: 'maven',
  node: 'npm',
};

/**
 * Weekly update pull requests for the language's dependencies, the pinned GitHub actions (new SHA and version
 * comment) and the Dockerfile's base images (new digest), each grouped into one pull request per ecosystem.
 */
export function dependabotConfig(language: Language): string {
  const update = (ecosystem: string, what: string) => `  # ${what}
  - package-ecosystem: ${ecosystem}
    directory: /
    schedule:
      interval: weekly
    groups:
      ${ecosystem}:
        patterns: ['*']
`;
  return [
    '# Written by golden-path:ci. Dependency updates as pull requests; CI builds, scans and tests each one.\n',
    'version: 2\nupdates:\n',
    update(ECOSYSTEM[language], `${language} dependencies`),
    update(
      'github-actions',
      'Actions in .github/workflows, pinned by commit SHA',
    ),
    update('docker', 'Base images in the Dockerfile, pinned by digest'),
  ].join('');
}
