import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Apply the cost tags chosen in the form',
    example: yaml.stringify({
      steps: [
        {
          id: 'cost-tags',
          action: 'golden-path:cost-tags',
          name: 'Apply cost tags',
          input: {
            name: 'payments-api',
            costTags: {
              team: 'payments',
              'cost-center': 'CC-1001',
              environment: 'dev',
              product: 'checkout',
            },
          },
        },
      ],
    }),
  },
];
