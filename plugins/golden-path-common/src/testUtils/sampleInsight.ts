import type { ServiceInsight } from '../serviceInsights';

/**
 * The insight of examples/components.yaml's `payments-api` under the default policy (team-payments below
 * engineering, all four cost tags valid, traced in the local Jaeger), written out once: summarizeService's tests
 * check that the examples summarise to it, the backend's that its API answers it, and the UI's render it.
 * Overrides replace whole top-level fields.
 */
export function sampleInsight(
  overrides: Partial<ServiceInsight> = {},
): ServiceInsight {
  return {
    entityRef: 'component:default/payments-api',
    name: 'payments-api',
    namespace: 'default',
    description: 'Authorises and captures card payments.',
    type: 'service',
    lifecycle: 'production',
    owner: {
      ref: 'group:default/team-payments',
      resolved: true,
      kind: 'Group',
      displayName: 'Payments',
      email: 'payments@example.com',
      chatChannel: '#team-payments',
      parents: [
        { ref: 'group:default/engineering', displayName: 'Engineering' },
      ],
    },
    system: 'system:default/checkout',
    domain: 'domain:default/commerce',
    costTags: [
      { tag: 'team', value: 'team-payments', status: 'ok' },
      {
        tag: 'cost-center',
        value: 'CC-1001',
        status: 'ok',
        rule: 'must match ^CC-[0-9]{4}$',
      },
      {
        tag: 'environment',
        value: 'prod',
        status: 'ok',
        rule: 'must be one of dev, staging, prod',
      },
      { tag: 'product', value: 'checkout', status: 'ok' },
    ],
    compliance: 'compliant',
    tracing: {
      serviceName: 'payments-api',
      links: [
        {
          backend: 'jaeger',
          title: 'Jaeger',
          url: 'http://localhost:16686/search?service=payments-api&lookback=1h',
        },
      ],
    },
    ...overrides,
  };
}
