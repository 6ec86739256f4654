import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Write the deploy manifests of an HTTP service that reads two secrets, for every policy environment',
    example: yaml.stringify({
      steps: [
        {
          id: 'deploy',
          action: 'golden-path:deploy',
          name: 'Write deploy manifests',
          input: {
            name: 'payments-api',
            image: 'ghcr.io/acme/payments-api:0.1.0',
            secrets: ['DB_PASSWORD', 'STRIPE_API_KEY'],
            gitUrl: 'https://github.com/acme/payments-api.git',
          },
        },
      ],
    }),
  },
  {
    description:
      'Write the deploy manifests of a queue worker for dev and prod only, with more replicas and memory than usual',
    example: yaml.stringify({
      steps: [
        {
          id: 'deploy',
          action: 'golden-path:deploy',
          name: 'Write deploy manifests',
          input: {
            name: 'invoice-worker',
            workload: 'worker',
            port: 9090,
            healthPaths: { liveness: '/livez', readiness: '/readyz' },
            resources: {
              requests: { memory: '256Mi' },
              limits: { memory: '512Mi' },
            },
            hpa: { min: 3, max: 20 },
          },
        },
      ],
    }),
  },
];
