import { Entity } from '@backstage/catalog-model';
import { DEFAULT_GOLDEN_PATH_POLICY } from './policy';
import {
  ClusterAnswer,
  LiveWorkload,
  expectedWorkloadLabels,
  runtimeDrift,
} from './runtimeDrift';

const policy = DEFAULT_GOLDEN_PATH_POLICY;
const environments = ['dev', 'staging', 'prod'];

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    labels: {
      'golden-path.io/team': 'team-payments',
      'golden-path.io/cost-center': 'CC-1001',
      'golden-path.io/environment': 'dev',
      'golden-path.io/product': 'checkout',
    },
  },
  spec: { type: 'service', owner: 'group:default/team-payments' },
};

function deployment(
  environment: string,
  overrides: Partial<LiveWorkload> = {},
): LiveWorkload {
  const labels = {
    'app.kubernetes.io/name': 'payments-api',
    team: 'team-payments',
    'cost-center': 'CC-1001',
    env: environment,
    'app.kubernetes.io/part-of': 'checkout',
  };
  return {
    kind: 'Deployment',
    namespace: 'payments-api',
    name: 'payments-api',
    labels,
    podTemplateLabels: labels,
    desiredReplicas: 2,
    readyReplicas: 2,
    availableReplicas: 2,
    ...overrides,
  };
}

describe('expectedWorkloadLabels', () => {
  it('projects the catalog cost tags to Kubernetes label keys, with the environment tag set to the environment', () => {
    expect(expectedWorkloadLabels(policy, entity, 'prod')).toEqual({
      team: 'team-payments',
      'cost-center': 'CC-1001',
      env: 'prod',
      'app.kubernetes.io/part-of': 'checkout',
    });
  });
});

describe('runtimeDrift', () => {
  it('reports a matching, fully ready workload as running with no problem', () => {
    const [dev] = runtimeDrift(
      policy,
      entity,
      ['dev'],
      [{ cluster: 'dev', environment: 'dev', workloads: [deployment('dev')] }],
    );
    expect(dev).toEqual({
      environment: 'dev',
      state: 'running',
      clusters: ['dev'],
      desiredReplicas: 2,
      readyReplicas: 2,
      problems: [],
    });
  });

  it('names the object and the label a live workload lacks, with the value the catalog expects and the fix', () => {
    const live = deployment('prod');
    const { 'cost-center': _removed, ...rest } = live.labels;
    const [prod] = runtimeDrift(
      policy,
      entity,
      ['prod'],
      [
        {
          cluster: 'prod',
          environment: 'prod',
          workloads: [{ ...live, labels: rest }],
        },
      ],
    );
    expect(prod.state).toBe('running');
    expect(prod.problems).toEqual([
      {
        object: 'prod Deployment payments-api',
        message:
          'prod Deployment payments-api lacks label cost-center (the catalog says CC-1001)',
        fix: expect.stringContaining(
          'flux reconcile kustomization payments-api-prod',
        ),
      },
    ]);
  });

  it('flags a label value that contradicts the catalog, on the pod template too', () => {
    const live = deployment('staging');
    const [staging] = runtimeDrift(
      policy,
      entity,
      ['staging'],
      [
        {
          cluster: 'staging',
          environment: 'staging',
          workloads: [
            {
              ...live,
              podTemplateLabels: {
                ...live.podTemplateLabels,
                team: 'team-search',
              },
            },
          ],
        },
      ],
    );
    expect(staging.problems.map(p => p.message)).toEqual([
      'staging Deployment payments-api pod template has label team=team-search, the catalog says team-payments',
    ]);
  });

  it('tells apart not deployed, no cluster and an unreachable cluster', () => {
    const answers: ClusterAnswer[] = [
      { cluster: 'dev', environment: 'dev', workloads: [] },
      { cluster: 'prod', environment: 'prod', error: 'connect ECONNREFUSED' },
    ];
    const result = runtimeDrift(policy, entity, environments, answers);
    expect(result.map(r => [r.environment, r.state])).toEqual([
      ['dev', 'not-deployed'],
      ['staging', 'no-cluster'],
      ['prod', 'unreachable'],
    ]);
    expect(result[0].problems[0].message).toBe('not deployed in dev');
    expect(result[1].problems[0].message).toBe(
      'no cluster is configured for staging',
    );
    expect(result[2].problems[0].message).toContain('ECONNREFUSED');
  });

  it('reports a rollout with fewer ready replicas than desired as degraded', () => {
    const [dev] = runtimeDrift(
      policy,
      entity,
      ['dev'],
      [
        {
          cluster: 'dev',
          environment: 'dev',
          workloads: [
            deployment('dev', { desiredReplicas: 3, readyReplicas: 1 }),
          ],
        },
      ],
    );
    expect(dev.state).toBe('degraded');
    expect(dev.problems.map(p => p.message)).toEqual([
      '1 of 3 replicas ready in dev',
    ]);
  });
});
