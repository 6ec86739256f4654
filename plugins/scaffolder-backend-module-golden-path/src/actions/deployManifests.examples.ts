import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Write the deploy manifests of an HTTP service that reads two secrets, for every policy environment, with the image in goldenPath.deploy.registry and Flux cloning its private GitHub repository',
    example: yaml.stringify({
      steps: [
        {
          id: 'deploy',
          action: 'golden-path:deploy',
          name: 'Write deploy manifests',
          input: {
            name: 'payments-api',
            secrets: ['DB_PASSWORD', 'STRIPE_API_KEY'],
            gitUrl: 'https://github.com/acme/payments-api.git',
            gitPrivate: true,
          },
        },
      ],
    }),
  },
  {
    description:
      'Write the deploy manifests of a queue worker pushed to its own image repository, with more replicas and memory than usual, scaled on its NATS JetStream backlog too',
    example: yaml.stringify({
      steps: [
        {
          id: 'deploy',
          action: 'golden-path:deploy',
          name: 'Write deploy manifests',
          input: {
            name: 'invoice-worker',
            workload: 'worker',
            image: 'registry.acme.io/billing/invoice-worker',
            port: 9090,
            healthPaths: { liveness: '/livez', readiness: '/readyz' },
            resources: {
              requests: { memory: '256Mi' },
              limits: { memory: '512Mi' },
            },
            hpa: { min: 3, max: 20 },
            natsJetStream: {
              monitoringEndpoint: 'nats.nats.svc.cluster.local:8222',
              stream: 'invoice-worker-jobs',
              consumer: 'invoice-worker',
            },
          },
        },
      ],
    }),
  },
];
