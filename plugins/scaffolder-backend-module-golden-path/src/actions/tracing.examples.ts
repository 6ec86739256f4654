import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Wire tracing into a Go service rendered from a skeleton',
    example: yaml.stringify({
      steps: [
        {
          id: 'tracing',
          action: 'golden-path:tracing',
          name: 'Add OpenTelemetry tracing',
          input: { language: 'go', serviceName: '${{ parameters.name }}' },
        },
      ],
    }),
  },
];
