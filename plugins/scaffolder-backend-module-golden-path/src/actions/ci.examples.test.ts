import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import yaml from 'yaml';
import { createCiAction } from './ci';
import { examples } from './ci.examples';

describe('golden-path:ci examples', () => {
  const mockDir = createMockDirectory();

  it.each(examples.map(e => [e.description, e] as const))(
    '%s',
    async (_, example) => {
      mockDir.setContent({
        'workspace/.github/workflows/ci.yaml':
          'jobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: go test ./...\n',
      });
      const action = createCiAction();
      const step = yaml
        .parse(example.example)
        .steps.find((s: any) => s.action === action.id);
      const ctx = createMockActionContext({
        input: step.input,
        workspacePath: mockDir.resolve('workspace'),
      });
      await action.handler(ctx);
      const workflow = yaml.parse(
        mockDir.content({ path: 'workspace/.github/workflows' })![
          'ci.yaml'
        ] as string,
      );
      expect(Object.keys(workflow.jobs)).toEqual(['test', 'gitleaks', 'image']);
      expect(mockDir.content({ path: 'workspace' })!['README.md']).toContain(
        "--certificate-identity 'https://github.com/acme/payments-api/.github/workflows/ci.yaml@refs/heads/main'",
      );
    },
  );
});
