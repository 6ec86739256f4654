import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { DEFAULT_GOLDEN_PATH_POLICY } from '@golden-path/common';
import fs from 'fs-extra';
import { join } from 'node:path';
import yaml from 'yaml';
import { schemaProblems } from '../manifests/testing/schemaProblems';
import { createDeployManifestsAction } from './deployManifests';
import { examples } from './deployManifests.examples';

// As a platform configures it: the registry CI pushes to.
const policy = {
  ...DEFAULT_GOLDEN_PATH_POLICY,
  deploy: { ...DEFAULT_GOLDEN_PATH_POLICY.deploy, registry: 'ghcr.io/acme' },
};

describe('golden-path:deploy examples', () => {
  const mockDir = createMockDirectory();

  beforeEach(() => mockDir.clear());

  it.each(examples.map(e => [e.description, e] as const))(
    '%s',
    async (_, example) => {
      const action = createDeployManifestsAction({ policy });
      const step = yaml
        .parse(example.example)
        .steps.find((s: any) => s.action === action.id);
      const ctx = createMockActionContext({
        input: step.input,
        workspacePath: mockDir.resolve('workspace'),
      });
      await action.handler(ctx);

      const files: string[] = (ctx.output as jest.Mock).mock.calls.find(
        ([name]) => name === 'files',
      )[1];
      const objects = (
        await Promise.all(
          files
            .filter(
              file => file.startsWith('deploy/') && file.endsWith('.yaml'),
            )
            .map(async file =>
              yaml.parseAllDocuments(
                await fs.readFile(
                  join(mockDir.resolve('workspace'), file),
                  'utf8',
                ),
              ),
            ),
        )
      )
        .flat()
        .map(doc => doc.toJS())
        .filter(
          object => object.apiVersion !== 'kustomize.config.k8s.io/v1beta1',
        );
      expect(schemaProblems(objects)).toEqual([]);
      const deployment = objects.find(o => o.kind === 'Deployment');
      expect(deployment.metadata.name).toBe(step.input.name);
      expect(objects.some(o => o.kind === 'Service')).toBe(
        (step.input.workload ?? 'service') === 'service',
      );
      expect(ctx.output).toHaveBeenCalledWith(
        'environments',
        step.input.environments ??
          DEFAULT_GOLDEN_PATH_POLICY.deploy.environments,
      );
    },
  );
});
