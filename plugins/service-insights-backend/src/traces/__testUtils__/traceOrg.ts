import { Entity } from '@backstage/catalog-model';
import { SECRET_ANNOTATION } from '../../__testUtils__/exampleOrg';

// The catalog behind the recorded checkout trace (scripts/trace-emitter): services checkout-api, payments-api,
// fraud-scoring and ledger-worker. Each is matched differently, so the tests cover every rule:
// - checkout-api: the golden-path annotation `golden-path.io/otel-service-name`;
// - payments-api: no service-name annotation, so its component name;
// - ledger-worker: `jaegertracing.io/service`, on a component the test policy hides from guests (`test/secret`);
// - fraud-scoring: a component of that name whose annotation names another service, so no match.

function group(name: string, displayName: string, parent?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name,
      annotations: { 'golden-path.io/chat-channel': `#${name}-oncall` },
    },
    spec: {
      type: parent ? 'team' : 'department',
      profile: { displayName, email: `${name}@example.com` },
      ...(parent ? { parent } : {}),
      children: [],
    },
  };
}

function component(
  name: string,
  owner: string,
  annotations: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, title: `${name} service`, annotations },
    spec: { type: 'service', lifecycle: 'production', owner, system: 'shop' },
  };
}

export const traceOrg: Entity[] = [
  group('engineering', 'Engineering'),
  group('team-checkout', 'Checkout', 'engineering'),
  group('team-payments', 'Payments', 'engineering'),
  group('team-ledger', 'Ledger', 'engineering'),
  group('team-risk', 'Risk', 'engineering'),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'shop' },
    spec: { owner: 'group:engineering' },
  },
  component('checkout-api', 'group:team-checkout', {
    'golden-path.io/otel-service-name': 'checkout-api',
  }),
  component('payments-api', 'group:team-payments'),
  component('ledger', 'group:team-ledger', {
    'jaegertracing.io/service': 'ledger-worker',
    [SECRET_ANNOTATION]: 'true',
  }),
  component('fraud-scoring', 'group:team-risk', {
    'golden-path.io/otel-service-name': 'fraud-scoring-v2',
  }),
];
