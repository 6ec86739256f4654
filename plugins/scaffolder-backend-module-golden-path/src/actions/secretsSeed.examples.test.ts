import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { readGoldenPathPolicy } from '@golden-path/common';
import fs from 'fs-extra';
import { join } from 'node:path';
import yaml from 'yaml';
import { createSecretsSeedAction } from './secretsSeed';
import { examples } from './secretsSeed.examples';

describe('golden-path:secrets:seed examples', () => {
  const mockDir = createMockDirectory();

  it.each(examples.map(e => [e.description, e] as const))(
    '%s',
    async (_, example) => {
      mockDir.clear();
      const config = new ConfigReader({
        goldenPath: {
          secrets: { local: { directory: mockDir.resolve('secrets') } },
        },
      });
      const action = createSecretsSeedAction({
        policy: readGoldenPathPolicy(config),
        config,
      });
      const step = yaml
        .parse(example.example)
        .steps.find((s: any) => s.action === action.id);
      // The form gave the first secret one value for every environment and left the others empty.
      const [first, ...rest] = step.input.secrets;
      const ctx = createMockActionContext({
        input: {
          ...step.input,
          catalogInfoUrl: 'file:///repos/x/catalog-info.yaml',
        },
        secrets: { [first]: 'initial-value' },
        workspacePath: mockDir.resolve('workspace'),
      });
      await action.handler(ctx);

      const environments: string[] = step.input.environments ?? [
        'dev',
        'staging',
        'prod',
      ];
      const paths = environments.map(
        env => `${env}/${step.input.component}/${first}`,
      );
      expect(ctx.output).toHaveBeenCalledWith('seeded', paths);
      for (const path of paths) {
        expect(
          await fs.readFile(join(mockDir.resolve('secrets'), path), 'utf8'),
        ).toBe('initial-value');
      }
      expect(ctx.output).toHaveBeenCalledWith(
        'missing',
        rest.flatMap((name: string) =>
          environments.map(env => `${name} in ${env}`),
        ),
      );
    },
  );
});
