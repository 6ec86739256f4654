import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'After publishing and registering, seed every declared secret for every environment from the SecretValues form field',
    example: yaml.stringify({
      parameters: [
        {
          title: 'Secrets',
          properties: {
            secrets: {
              type: 'array',
              items: { type: 'string' },
            },
            secretValues: {
              title: 'Initial values',
              type: 'object',
              'ui:field': 'SecretValues',
              'ui:options': { secretsFrom: 'secrets' },
            },
          },
        },
      ],
      steps: [
        {
          id: 'seed',
          action: 'golden-path:secrets:seed',
          name: 'Store the initial secret values',
          input: {
            component: 'payments-api',
            secrets: ['DB_PASSWORD', 'STRIPE_API_KEY'],
            catalogInfoUrl: "${{ steps['register'].output.catalogInfoUrl }}",
          },
        },
      ],
    }),
  },
  {
    description:
      'Seed only dev and staging (values sent as task secrets DB_PASSWORD@dev, DB_PASSWORD@staging, or DB_PASSWORD for both)',
    example: yaml.stringify({
      steps: [
        {
          id: 'seed',
          action: 'golden-path:secrets:seed',
          name: 'Store the initial secret values',
          input: {
            component: 'search-api',
            secrets: ['DB_PASSWORD'],
            environments: ['dev', 'staging'],
            catalogInfoUrl: "${{ steps['register'].output.catalogInfoUrl }}",
          },
        },
      ],
    }),
  },
];
