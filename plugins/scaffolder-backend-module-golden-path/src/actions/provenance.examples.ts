import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Record which template and version generated the repository',
    example: yaml.stringify({
      steps: [
        {
          id: 'provenance',
          action: 'golden-path:catalog:provenance',
          name: 'Stamp provenance',
        },
      ],
    }),
  },
];
