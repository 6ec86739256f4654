import { DEFAULT_GOLDEN_PATH_POLICY } from '@golden-path/common';
import yaml from 'yaml';
import { createWorkspaceFixture } from '../__testUtils__/actionFixture';
import { createChaosAction } from './chaos';
import { examples } from './chaos.examples';

describe('golden-path:chaos examples', () => {
  const ws = createWorkspaceFixture();
  const policy = {
    ...DEFAULT_GOLDEN_PATH_POLICY,
    chaos: { ...DEFAULT_GOLDEN_PATH_POLICY.chaos, enabled: true },
  };

  it.each(examples.map(e => [e.description, e] as const))(
    '%s',
    async (_, example) => {
      ws.reset({
        'deploy/overlays/staging/kustomization.yaml':
          'resources: [../../base]\n',
      });
      const action = createChaosAction({ policy });
      const step = yaml
        .parse(example.example)
        .steps.find((s: any) => s.action === action.id);
      await action.handler(ws.context(step.input));
      const names = yaml
        .parseAllDocuments(ws.read('deploy/overlays/staging/chaos.yaml'))
        .map(d => d.toJS().metadata.name);
      expect(names).toEqual([
        'invoice-worker-pod-kill',
        'invoice-worker-delay-otel-collector',
        'invoice-worker-delay-nats',
      ]);
    },
  );
});
