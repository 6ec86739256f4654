import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { DEFAULT_GOLDEN_PATH_POLICY } from './policy';
import { ServiceInsight } from './serviceInsights';
import { exampleOrgEntities, sampleInsight } from './testUtils';
import {
  ServiceSummaryContext,
  isOwnedByTeam,
  summarizeService,
} from './summarizeService';

// The example organisation of examples/*.yaml: a department with child teams, systems in a domain, components with
// complete, missing and invalid cost tags, and one owned by a group that does not exist.
const examples = exampleOrgEntities();
const example = (kind: string, name: string) =>
  examples.find(e => e.kind === kind && e.metadata.name === name)!;
const engineering = example('Group', 'engineering');
const payments = example('Group', 'team-payments');
const paymentsApi = example('Component', 'payments-api');
const FULL_TAGS = paymentsApi.metadata.labels!;

function group(name: string, parent: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name },
    spec: { type: 'team', parent, children: [] },
  };
}

function component(
  name: string,
  metadata: Partial<Entity['metadata']> = {},
  spec: Record<string, unknown> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, labels: FULL_TAGS, ...metadata },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:team-payments',
      system: 'checkout',
      ...spec,
    },
  };
}

function contextWith(...entities: Entity[]): ServiceSummaryContext {
  const byRef = new Map(entities.map(e => [stringifyEntityRef(e), e]));
  return {
    policy: DEFAULT_GOLDEN_PATH_POLICY,
    entitiesByRef: ref => byRef.get(ref),
  };
}

const org = contextWith(...examples);

describe('summarizeService', () => {
  it('summarises a complete, traced component owned by a team', () => {
    const template = {
      'backstage.io/source-template': 'template:default/go-api',
      'backstage.io/template-version': '1.4.0',
    };
    const insight = summarizeService(
      {
        ...paymentsApi,
        metadata: {
          ...paymentsApi.metadata,
          annotations: { ...paymentsApi.metadata.annotations, ...template },
        },
      },
      org,
    );

    expect(insight).toEqual<ServiceInsight>(
      sampleInsight({
        template: { ref: 'template:default/go-api', version: '1.4.0' },
      }),
    );
  });

  it('reports missing tags before invalid ones', () => {
    const { 'golden-path.io/cost-center': _, ...withoutCostCenter } = FULL_TAGS;
    const missing = summarizeService(
      component('ledger-api', {
        labels: { ...withoutCostCenter, 'golden-path.io/environment': 'live' },
      }),
      org,
    );
    expect(missing.compliance).toBe('missing-tags');
    expect(missing.costTags.map(f => [f.tag, f.status])).toEqual([
      ['team', 'ok'],
      ['cost-center', 'missing'],
      ['environment', 'invalid'],
      ['product', 'ok'],
    ]);

    const invalid = summarizeService(
      component('fraud-scorer', {
        labels: { ...FULL_TAGS, 'golden-path.io/cost-center': '1001' },
      }),
      org,
    );
    expect(invalid.compliance).toBe('invalid-tags');
    expect(invalid.costTags[1]).toEqual({
      tag: 'cost-center',
      value: '1001',
      status: 'invalid',
      rule: 'must match ^CC-[0-9]{4}$',
      message: 'cost-center "1001" must match ^CC-[0-9]{4}$',
    });
  });

  it('has no trace links without a service name', () => {
    const insight = summarizeService(component('indexer-worker'), org);
    expect(insight.tracing).toEqual({ links: [] });
    expect(insight.template).toBeUndefined();
  });

  it('keeps an owner that does not exist as an unresolved ref', () => {
    const insight = summarizeService(
      component('legacy-reports', { labels: {} }, { owner: 'team-legacy' }),
      org,
    );
    expect(insight.owner).toEqual({
      ref: 'group:default/team-legacy',
      resolved: false,
      parents: [],
    });
    expect(insight.compliance).toBe('missing-tags');
  });

  it('normalises the owner ref in the namespace of the component', () => {
    const ops = {
      ...payments,
      metadata: { ...payments.metadata, namespace: 'ops' },
    };
    const insight = summarizeService(
      component('runbook', { namespace: 'ops' }, { owner: 'Team-Payments' }),
      contextWith(ops, engineering),
    );
    expect(insight.entityRef).toBe('component:ops/runbook');
    expect(insight.owner.ref).toBe('group:ops/team-payments');
    expect(insight.owner.resolved).toBe(true);
    // The parent is looked up in the group's namespace, where it does not exist.
    expect(insight.owner.parents).toEqual([{ ref: 'group:ops/engineering' }]);
    expect(insight.system).toBe('system:ops/checkout');
    expect(insight.domain).toBeUndefined();
  });

  it('resolves a user owner with their profile and no parents', () => {
    const insight = summarizeService(
      component('notebook', {}, { owner: 'user:grace.hopper' }),
      org,
    );
    expect(insight.owner).toEqual({
      ref: 'user:default/grace.hopper',
      resolved: true,
      kind: 'User',
      displayName: 'Grace Hopper',
      email: 'grace.hopper@example.com',
      parents: [],
    });
  });

  it("prefers the component's chat channel over the owner's", () => {
    const insight = summarizeService(
      component('payments-api', {
        annotations: { 'golden-path.io/chat-channel': '#payments-api' },
      }),
      org,
    );
    expect(insight.owner.chatChannel).toBe('#payments-api');
  });

  it('stops at a cycle in the group hierarchy', () => {
    const a = group('a', 'b');
    const b = group('b', 'c');
    const c = group('c', 'a');
    const insight = summarizeService(
      component('loop', {}, { owner: 'a' }),
      contextWith(a, b, c),
    );
    expect(insight.owner.parents.map(p => p.ref)).toEqual([
      'group:default/b',
      'group:default/c',
    ]);
  });

  it('does not treat an entity of another kind as the owner', () => {
    const insight = summarizeService(
      component('odd', {}, { owner: 'system:checkout' }),
      org,
    );
    expect(insight.owner).toMatchObject({
      ref: 'system:default/checkout',
      resolved: false,
    });
  });
});

describe('isOwnedByTeam', () => {
  const insight = summarizeService(component('payments-api'), org);

  it('matches the owning team and every team above it', () => {
    expect(isOwnedByTeam(insight, 'group:default/team-payments')).toBe(true);
    expect(isOwnedByTeam(insight, 'engineering')).toBe(true);
    expect(isOwnedByTeam(insight, 'group:default/Engineering')).toBe(true);
  });

  it('does not match sibling teams or a team below the owner', () => {
    expect(isOwnedByTeam(insight, 'team-search')).toBe(false);
    const parentOwned = summarizeService(
      component('portal', {}, { owner: 'engineering' }),
      org,
    );
    expect(isOwnedByTeam(parentOwned, 'team-payments')).toBe(false);
  });
});
