import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Apply the golden path to a Go service rendered from a skeleton',
    example: yaml.stringify({
      steps: [
        {
          id: 'wire',
          action: 'golden-path:wire',
          name: 'Apply the golden path',
          input: {
            name: 'payments-api',
            language: 'go',
            costTags: {
              team: 'team-payments',
              'cost-center': 'CC-1001',
              environment: 'dev',
              product: 'checkout',
            },
            secrets: ['DB_PASSWORD'],
            deploy: {
              workload: 'service',
              port: 8080,
              gitUrl: 'https://github.com/acme/payments-api.git',
              gitPrivate: true,
            },
          },
        },
      ],
    }),
  },
];
