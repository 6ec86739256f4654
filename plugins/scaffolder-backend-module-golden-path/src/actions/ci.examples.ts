import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Complete the CI of a Go repository whose skeleton renders only its test job',
    example: yaml.stringify({
      steps: [
        {
          id: 'ci',
          action: 'golden-path:ci',
          name: 'Shared CI jobs and Dependabot',
          input: { language: 'go', repository: 'acme/payments-api' },
        },
      ],
    }),
  },
];
