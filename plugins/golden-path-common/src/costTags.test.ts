import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import {
  assertValidCostTags,
  costTagFixHint,
  costTagsOfEntity,
  projectCostTags,
  validateCostTags,
} from './costTags';
import { DEFAULT_GOLDEN_PATH_POLICY, readGoldenPathPolicy } from './policy';
import { sampleInsight } from './testUtils';

const policy = DEFAULT_GOLDEN_PATH_POLICY;
const goodTags = {
  team: 'payments',
  'cost-center': 'CC-1234',
  environment: 'prod',
  product: 'checkout',
};

describe('validateCostTags', () => {
  it('reports every required tag as ok when all are valid', () => {
    // The sample insight's findings: each tag ok, with the rule it passed.
    const findings = sampleInsight().costTags;
    const tags = Object.fromEntries(findings.map(f => [f.tag, f.value ?? '']));
    expect(validateCostTags(policy, tags)).toEqual(findings);
  });

  it('reports missing and invalid tags with the rule they break', () => {
    expect(
      validateCostTags(policy, {
        team: '',
        'cost-center': '1234',
        environment: 'production',
      }),
    ).toEqual([
      { tag: 'team', status: 'missing', message: 'team is required' },
      {
        tag: 'cost-center',
        value: '1234',
        status: 'invalid',
        rule: 'must match ^CC-[0-9]{4}$',
        message: 'cost-center "1234" must match ^CC-[0-9]{4}$',
      },
      {
        tag: 'environment',
        value: 'production',
        status: 'invalid',
        rule: 'must be one of dev, staging, prod',
        message: 'environment "production" must be one of dev, staging, prod',
      },
      { tag: 'product', status: 'missing', message: 'product is required' },
    ]);
  });

  it('states the rule of a missing tag too', () => {
    const [, costCenter] = validateCostTags(policy, {
      ...goodTags,
      'cost-center': undefined,
    });
    expect(costCenter).toEqual({
      tag: 'cost-center',
      status: 'missing',
      rule: 'must match ^CC-[0-9]{4}$',
      message: 'cost-center is required and must match ^CC-[0-9]{4}$',
    });
  });

  it.each([
    ['a space', 'payments team'],
    ['a slash', 'payments/core'],
    ['a trailing hyphen', 'payments-'],
    ['more than 63 characters', 'p'.repeat(64)],
  ])(
    'rejects a value with %s, because it becomes a Kubernetes label',
    (_, team) => {
      const [finding] = validateCostTags(policy, { ...goodTags, team });
      expect(finding).toEqual({
        tag: 'team',
        value: team,
        status: 'invalid',
        rule: 'must be a valid Kubernetes label value (at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit)',
        message: `team ${JSON.stringify(
          team,
        )} must be a valid Kubernetes label value (at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit)`,
      });
    },
  );

  it('checks optional tags only when they are set, and ignores unknown tags', () => {
    const withTier = readGoldenPathPolicy(
      new ConfigReader({
        goldenPath: { costTags: { rules: { tier: ['gold', 'silver'] } } },
      }),
    );
    expect(
      validateCostTags(withTier, { ...goodTags, unknown: 'x' }).map(f => f.tag),
    ).toEqual(['team', 'cost-center', 'environment', 'product']);
    expect(
      validateCostTags(withTier, { ...goodTags, tier: 'bronze' }).slice(-1),
    ).toEqual([
      {
        tag: 'tier',
        value: 'bronze',
        status: 'invalid',
        rule: 'must be one of gold, silver',
        message: 'tier "bronze" must be one of gold, silver',
      },
    ]);
  });

  it('accepts untyped values such as YAML numbers', () => {
    const lenient = readGoldenPathPolicy(
      new ConfigReader({
        goldenPath: { costTags: { rules: { 'cost-center': '[0-9]+' } } },
      }),
    );
    const tags = { ...goodTags, 'cost-center': 1234 as unknown as string };
    expect(validateCostTags(lenient, tags)[1]).toEqual(
      expect.objectContaining({ value: '1234', status: 'ok' }),
    );
  });
});

describe('assertValidCostTags', () => {
  it('passes valid tags', () => {
    expect(() => assertValidCostTags(policy, goodTags)).not.toThrow();
  });

  it('names each bad tag and its rule in one error', () => {
    expect(() =>
      assertValidCostTags(policy, {
        ...goodTags,
        'cost-center': '1234',
        product: undefined,
      }),
    ).toThrow(
      new Error(
        'costTags.cost-center "1234" must match ^CC-[0-9]{4}$; costTags.product is required',
      ),
    );
  });

  it('prefixes the field it was given', () => {
    expect(() =>
      assertValidCostTags(
        policy,
        { ...goodTags, team: undefined },
        'input.tags',
      ),
    ).toThrow('input.tags.team is required');
  });
});

describe('projectCostTags', () => {
  it('writes each tag under every layer key', () => {
    expect(projectCostTags(policy, goodTags)).toEqual({
      catalogLabels: {
        'golden-path.io/team': 'payments',
        'golden-path.io/cost-center': 'CC-1234',
        'golden-path.io/environment': 'prod',
        'golden-path.io/product': 'checkout',
      },
      k8sLabels: {
        team: 'payments',
        'cost-center': 'CC-1234',
        env: 'prod',
        'app.kubernetes.io/part-of': 'checkout',
      },
      otelResourceAttributes: {
        team: 'payments',
        cost_center: 'CC-1234',
        'deployment.environment.name': 'prod',
        'service.namespace': 'checkout',
      },
      cloudTags: {
        team: 'payments',
        'cost-center': 'CC-1234',
        environment: 'prod',
        product: 'checkout',
      },
    });
  });

  it('follows configured keys and leaves out unset and unknown tags', () => {
    const custom = readGoldenPathPolicy(
      new ConfigReader({
        goldenPath: {
          costTags: {
            required: ['team'],
            keys: { team: { k8sLabel: 'acme.io/team', cloudTag: 'owner' } },
          },
        },
      }),
    );
    expect(projectCostTags(custom, { team: 'payments', other: 'x' })).toEqual({
      catalogLabels: { 'golden-path.io/team': 'payments' },
      k8sLabels: { 'acme.io/team': 'payments' },
      otelResourceAttributes: { team: 'payments' },
      cloudTags: { owner: 'payments' },
    });
  });
});

describe('cost tags of a catalog entity', () => {
  const entity: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'payments-api',
      labels: {
        'golden-path.io/team': 'payments',
        'golden-path.io/cost-center': '1234',
      },
      annotations: {
        'golden-path.io/environment': 'prod',
        'golden-path.io/team': 'ignored-when-the-label-is-set',
      },
    },
  };

  it('reads labels, falling back to annotations', () => {
    expect(costTagsOfEntity(policy, entity)).toEqual({
      team: 'payments',
      'cost-center': '1234',
      environment: 'prod',
      product: undefined,
    });
  });

  it('tells how to fix each finding in catalog-info.yaml', () => {
    const findings = validateCostTags(policy, costTagsOfEntity(policy, entity));
    expect(findings.map(finding => costTagFixHint(policy, finding))).toEqual([
      undefined,
      'Set metadata.labels["golden-path.io/cost-center"] in catalog-info.yaml to a value that must match ^CC-[0-9]{4}$',
      undefined,
      'Set metadata.labels["golden-path.io/product"] in catalog-info.yaml',
    ]);
  });

  it('points at the label rule when that is what breaks', () => {
    const [finding] = validateCostTags(policy, { ...goodTags, team: 'a b' });
    expect(costTagFixHint(policy, finding)).toBe(
      'Set metadata.labels["golden-path.io/team"] in catalog-info.yaml to a value that must be a valid Kubernetes label value (at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit)',
    );
  });
});
