import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Declare the secrets a service reads',
    example: yaml.stringify({
      steps: [
        {
          id: 'secrets',
          action: 'golden-path:secrets',
          name: 'Declare secrets',
          input: {
            name: 'payments-api',
            secrets: ['DB_PASSWORD', 'STRIPE_API_KEY'],
          },
        },
      ],
    }),
  },
];
