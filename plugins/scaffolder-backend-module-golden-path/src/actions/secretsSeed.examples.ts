import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Seed the dev database password from a template parameter with ui:field: Secret',
    example: yaml.stringify({
      parameters: [
        {
          title: 'Secrets',
          properties: {
            dbPassword: {
              title: 'Database password',
              type: 'string',
              'ui:field': 'Secret',
            },
          },
        },
      ],
      steps: [
        {
          id: 'seed-secrets',
          action: 'golden-path:secrets:seed',
          name: 'Seed secrets',
          input: {
            component: 'payments-api',
            secrets: [{ name: 'DB_PASSWORD', secretKey: 'dbPassword' }],
          },
        },
      ],
    }),
  },
  {
    description:
      'Seed two secrets for dev and staging; a secret left empty in the form is skipped',
    example: yaml.stringify({
      steps: [
        {
          id: 'seed-secrets',
          action: 'golden-path:secrets:seed',
          name: 'Seed secrets',
          input: {
            component: 'search-api',
            secrets: [
              { name: 'DB_PASSWORD', secretKey: 'dbPassword' },
              { name: 'STRIPE_API_KEY', secretKey: 'stripeApiKey' },
            ],
            environments: ['dev', 'staging'],
          },
        },
      ],
    }),
  },
];
