import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Derive CODEOWNERS from the owner, with the GitHub organisation of the team',
    example: yaml.stringify({
      steps: [
        {
          id: 'codeowners',
          action: 'golden-path:codeowners',
          name: 'Write CODEOWNERS',
          input: { githubOrg: 'acme' },
        },
      ],
    }),
  },
];
