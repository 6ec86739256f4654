import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Register a repository published to local git (works for users who may not register locations themselves)',
    example: yaml.stringify({
      steps: [
        {
          id: 'register',
          action: 'golden-path:catalog:register',
          name: 'Register in the catalog',
          input: {
            catalogInfoUrl: "${{ steps['publish'].output.catalogInfoUrl }}",
          },
        },
      ],
    }),
  },
  {
    description: 'Register a repository published to GitHub',
    example: yaml.stringify({
      steps: [
        {
          id: 'register',
          action: 'golden-path:catalog:register',
          name: 'Register in the catalog',
          input: {
            repoContentsUrl: "${{ steps['publish'].output.repoContentsUrl }}",
            catalogInfoPath: '/catalog-info.yaml',
          },
        },
      ],
    }),
  },
];
