import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Opt a NATS worker in to chaos experiments: pod kill, and a delay toward NATS and the collector',
    example: yaml.stringify({
      steps: [
        {
          id: 'chaos',
          action: 'golden-path:chaos',
          name: 'Chaos experiments in staging',
          input: {
            name: 'invoice-worker',
            enabled: true,
            dependencies: ['nats://nats.nats:4222'],
          },
        },
      ],
    }),
  },
];
