import { buildNetworkPolicies, otlpCollectorTarget } from './networkPolicies';
import { schemaProblems } from './testing/schemaProblems';

const service = {
  name: 'payments-api',
  workload: 'service' as const,
  port: 8080,
  otlpEndpoint: 'http://otel-collector.observability:4318',
};

describe('NetworkPolicies', () => {
  it('denies everything in the namespace, then lets a service take connections on its port, resolve DNS and export traces', () => {
    const policies = buildNetworkPolicies(service) as any[];
    expect(schemaProblems(policies)).toEqual([]);
    expect(policies.map(p => p.metadata.name)).toEqual([
      'default-deny',
      'payments-api-allow-ingress',
      'payments-api-allow-egress',
    ]);
    expect(policies[0].spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
    });
    expect(policies[1].spec).toEqual({
      podSelector: {
        matchLabels: { 'app.kubernetes.io/name': 'payments-api' },
      },
      policyTypes: ['Ingress'],
      ingress: [{ ports: [{ protocol: 'TCP', port: 8080 }] }],
    });
    expect(policies[2].spec.egress).toEqual([
      {
        to: [
          {
            namespaceSelector: {
              matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' },
            },
          },
        ],
        ports: [
          { protocol: 'UDP', port: 53 },
          { protocol: 'TCP', port: 53 },
        ],
      },
      {
        to: [
          {
            namespaceSelector: {
              matchLabels: { 'kubernetes.io/metadata.name': 'observability' },
            },
          },
        ],
        ports: [{ protocol: 'TCP', port: 4318 }],
      },
    ]);
  });

  it('lets a worker take no connections at all', () => {
    const policies = buildNetworkPolicies({
      ...service,
      workload: 'worker',
    }) as any[];
    expect(policies.map(p => p.metadata.name)).toEqual([
      'default-deny',
      'payments-api-allow-egress',
    ]);
    expect(policies.some(p => p.spec.ingress)).toBe(false);
  });

  it('allows any address on the port for a collector outside the cluster, and nothing for one on localhost', () => {
    const external = buildNetworkPolicies({
      ...service,
      otlpEndpoint: 'https://api.honeycomb.io',
    }) as any[];
    expect(schemaProblems(external)).toEqual([]);
    expect(external[2].spec.egress[1]).toEqual({
      to: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }],
      ports: [{ protocol: 'TCP', port: 443 }],
    });
    const local = buildNetworkPolicies({
      ...service,
      otlpEndpoint: 'http://localhost:4318',
    }) as any[];
    expect(local[2].spec.egress).toHaveLength(1);
  });

  it.each([
    [
      'http://otel-collector.observability:4318',
      { type: 'cluster', namespace: 'observability', port: 4318 },
    ],
    [
      'http://otel-collector.observability.svc:4318',
      { type: 'cluster', namespace: 'observability', port: 4318 },
    ],
    [
      'http://otel-collector.observability.svc.cluster.local:4318/',
      { type: 'cluster', namespace: 'observability', port: 4318 },
    ],
    ['http://otel-collector:4318', { type: 'cluster', port: 4318 }],
    ['http://10.0.0.12:4318', { type: 'ip', cidr: '10.0.0.12/32', port: 4318 }],
    [
      'http://[fd00::12]:4318',
      { type: 'ip', cidr: 'fd00::12/128', port: 4318 },
    ],
    ['https://otlp.eu01.nr-data.net', { type: 'external', port: 443 }],
    ['http://collector.example.com', { type: 'external', port: 80 }],
    ['http://localhost:4318', { type: 'loopback' }],
  ])('reads %s as %j', (endpoint, target) => {
    expect(otlpCollectorTarget(endpoint)).toEqual(target);
  });
});
