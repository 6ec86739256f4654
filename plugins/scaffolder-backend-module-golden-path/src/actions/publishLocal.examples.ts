import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Publish the workspace as a local git repository and register it in the catalog',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'golden-path:publish:local',
          name: 'Publish to local git',
          input: { repoName: 'payments-api' },
        },
        {
          id: 'register',
          action: 'catalog:register',
          name: 'Register in the catalog',
          input: {
            catalogInfoUrl: "${{ steps['publish'].output.catalogInfoUrl }}",
          },
        },
      ],
    }),
  },
  {
    description: 'Publish only a sub-folder, on a branch called trunk',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'golden-path:publish:local',
          name: 'Publish to local git',
          input: {
            repoName: 'search-api',
            sourcePath: 'service',
            defaultBranch: 'trunk',
            commitMessage: 'Create search-api from the go-api golden path',
          },
        },
      ],
    }),
  },
];
