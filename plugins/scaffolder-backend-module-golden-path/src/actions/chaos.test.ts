import {
  DEFAULT_GOLDEN_PATH_POLICY,
  GoldenPathPolicy,
} from '@golden-path/common';
import yaml from 'yaml';
import { createWorkspaceFixture } from '../__testUtils__/actionFixture';
import { createChaosAction } from './chaos';

const allowed: GoldenPathPolicy = {
  ...DEFAULT_GOLDEN_PATH_POLICY,
  chaos: {
    ...DEFAULT_GOLDEN_PATH_POLICY.chaos,
    enabled: true,
    timezone: 'Europe/Berlin',
    businessHours: { start: 9, end: 17 },
  },
};

describe('golden-path:chaos', () => {
  const ws = createWorkspaceFixture();
  const overlays = {
    'deploy/overlays/dev/kustomization.yaml': 'resources: [../../base]\n',
    'deploy/overlays/staging/kustomization.yaml':
      'resources: [../../base, autoscaling.yaml]\n',
    'deploy/overlays/prod/kustomization.yaml': 'resources: [../../base]\n',
  };
  const run = (input: Record<string, unknown>, policy = allowed) =>
    createChaosAction({ policy }).handler(ws.context(input));
  const schedules = () =>
    yaml
      .parseAllDocuments(ws.read('deploy/overlays/staging/chaos.yaml'))
      .map(d => d.toJS());

  beforeEach(() => ws.reset(overlays));

  it('puts the experiments in the staging overlay only', async () => {
    await run({ name: 'invoice-worker', enabled: true });
    expect(
      ws.yaml('deploy/overlays/staging/kustomization.yaml').resources,
    ).toEqual(['../../base', 'autoscaling.yaml', 'chaos.yaml']);
    for (const environment of ['dev', 'prod']) {
      expect(ws.exists(`deploy/overlays/${environment}/chaos.yaml`)).toBe(
        false,
      );
      expect(
        ws.yaml(`deploy/overlays/${environment}/kustomization.yaml`).resources,
      ).toEqual(['../../base']);
    }
  });

  it("kills one of the service's pods every business hour and delays its traffic toward each dependency and the collector", async () => {
    await run({
      name: 'invoice-worker',
      enabled: true,
      dependencies: ['nats://nats.nats:4222'],
    });
    const [podKill, ...delays] = schedules();
    const selector = {
      namespaces: ['invoice-worker'],
      labelSelectors: { 'app.kubernetes.io/name': 'invoice-worker' },
    };
    expect(podKill).toMatchObject({
      apiVersion: 'chaos-mesh.org/v1alpha1',
      kind: 'Schedule',
      metadata: { name: 'invoice-worker-pod-kill' },
      spec: {
        schedule: 'CRON_TZ=Europe/Berlin 0 9-16 * * 1-5',
        type: 'PodChaos',
        concurrencyPolicy: 'Forbid',
        podChaos: { action: 'pod-kill', mode: 'one', selector },
      },
    });
    expect(
      delays.map(d => [
        d.metadata.name,
        d.spec.schedule,
        d.spec.networkChaos.externalTargets,
      ]),
    ).toEqual([
      [
        'invoice-worker-delay-otel-collector',
        'CRON_TZ=Europe/Berlin 30 9-16 * * 1-5',
        ['otel-collector.observability'],
      ],
      [
        'invoice-worker-delay-nats',
        'CRON_TZ=Europe/Berlin 30 9-16 * * 1-5',
        ['nats.nats'],
      ],
    ]);
    for (const delay of delays) {
      expect(delay.spec.networkChaos).toEqual({
        action: 'delay',
        mode: 'all',
        selector,
        direction: 'to',
        externalTargets: expect.any(Array),
        delay: { latency: '200ms' },
        duration: '10m',
      });
    }
  });

  it('writes a runbook that says what each experiment shows and how to pause and stop it', async () => {
    await run({ name: 'payments-api', enabled: true });
    const runbook = ws.read('docs/chaos-experiments.md');
    expect(runbook).toContain('in **staging only**');
    expect(runbook).toContain(
      'kubectl --namespace payments-api annotate schedule payments-api-pod-kill payments-api-delay-otel-collector experiment.chaos-mesh.org/pause=true',
    );
    expect(runbook).toMatch(/## Stop for good/);
  });

  it('gives the same files when run again, and removes everything when the service opts out', async () => {
    await run({ name: 'payments-api', enabled: true });
    const first = ws.snapshot();
    await run({ name: 'payments-api', enabled: true });
    expect(ws.snapshot()).toEqual(first);

    await run({ name: 'payments-api', enabled: false });
    expect(Object.keys(ws.snapshot()).sort()).toEqual(
      Object.keys(overlays).sort(),
    );
    for (const [path, text] of Object.entries(overlays)) {
      expect(ws.yaml(path)).toEqual(yaml.parse(text));
    }
  });

  it('writes nothing when the service does not opt in (the default)', async () => {
    await run({ name: 'payments-api' });
    expect(ws.snapshot()).toEqual(overlays);
  });

  it('refuses to opt in when the platform does not allow chaos experiments, naming the key', async () => {
    await expect(
      run({ name: 'payments-api', enabled: true }, DEFAULT_GOLDEN_PATH_POLICY),
    ).rejects.toThrow(/goldenPath\.chaos\.enabled is false/);
    expect(ws.snapshot()).toEqual(overlays);
  });

  it.each([
    ['a command in the host', 'nats.nats;rm -rf /'],
    ['a URL without a host', 'file:///etc/passwd'],
    ['a YAML break', 'nats\n---\nkind: Secret'],
  ])('refuses a dependency with %s, naming it', async (_, dependency) => {
    await expect(
      run({ name: 'payments-api', enabled: true, dependencies: [dependency] }),
    ).rejects.toThrow(/Invalid dependencies\[0\]/);
  });
});
