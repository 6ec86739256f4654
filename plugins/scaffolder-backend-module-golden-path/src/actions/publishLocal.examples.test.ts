import { ConfigReader } from '@backstage/config';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import fs from 'fs-extra';
import git from 'isomorphic-git';
import { join } from 'node:path';
import yaml from 'yaml';
import { createPublishLocalAction } from './publishLocal';
import { examples } from './publishLocal.examples';

describe('golden-path:publish:local examples', () => {
  const mockDir = createMockDirectory();

  it.each(examples.map(e => [e.description, e] as const))(
    '%s',
    async (_, example) => {
      mockDir.setContent({
        workspace: {
          'catalog-info.yaml': 'kind: Component\n',
          service: { 'main.go': 'package main\n' },
        },
      });
      const action = createPublishLocalAction({
        config: new ConfigReader({
          goldenPath: {
            publish: { local: { rootDirectory: mockDir.resolve('repos') } },
          },
        }),
      });
      const step = yaml
        .parse(example.example)
        .steps.find((s: any) => s.action === action.id);
      await action.handler(
        createMockActionContext({
          input: step.input,
          workspacePath: mockDir.resolve('workspace'),
        }),
      );

      const repo = join(mockDir.resolve('repos'), step.input.repoName);
      expect(await git.currentBranch({ fs, dir: repo })).toBe(
        step.input.defaultBranch ?? 'main',
      );
      expect(await git.listFiles({ fs, dir: repo })).toContain(
        step.input.sourcePath ? 'main.go' : 'catalog-info.yaml',
      );
    },
  );
});
