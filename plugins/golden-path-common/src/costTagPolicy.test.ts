import {
  costTagRuleText,
  defaultCostTagKeys,
  satisfiesCostTagRule,
} from './costTagPolicy';

describe('cost-tag policy', () => {
  it.each([
    [
      'team',
      {
        catalogLabel: 'golden-path.io/team',
        k8sLabel: 'team',
        otelAttribute: 'team',
        cloudTag: 'team',
      },
    ],
    [
      'cost-center',
      {
        catalogLabel: 'golden-path.io/cost-center',
        k8sLabel: 'cost-center',
        otelAttribute: 'cost_center',
        cloudTag: 'cost-center',
      },
    ],
    [
      'environment',
      {
        catalogLabel: 'golden-path.io/environment',
        k8sLabel: 'env',
        otelAttribute: 'deployment.environment.name',
        cloudTag: 'environment',
      },
    ],
    [
      'product',
      {
        catalogLabel: 'golden-path.io/product',
        k8sLabel: 'app.kubernetes.io/part-of',
        otelAttribute: 'service.namespace',
        cloudTag: 'product',
      },
    ],
    [
      'business-unit',
      {
        catalogLabel: 'golden-path.io/business-unit',
        k8sLabel: 'business-unit',
        otelAttribute: 'business_unit',
        cloudTag: 'business-unit',
      },
    ],
  ])('writes %s under its default keys', (tag, keys) => {
    expect(defaultCostTagKeys(tag)).toEqual(keys);
  });

  it('states rules as sentence completions', () => {
    expect(
      costTagRuleText({
        kind: 'pattern',
        source: '^CC-[0-9]{4}$',
        pattern: /^(?:^CC-[0-9]{4}$)$/,
      }),
    ).toBe('must match ^CC-[0-9]{4}$');
    expect(
      costTagRuleText({ kind: 'oneOf', values: ['dev', 'staging', 'prod'] }),
    ).toBe('must be one of dev, staging, prod');
  });

  it('checks values against list rules exactly, case included', () => {
    const rule = { kind: 'oneOf', values: ['dev', 'prod'] } as const;
    expect(satisfiesCostTagRule(rule, 'prod')).toBe(true);
    expect(satisfiesCostTagRule(rule, 'Prod')).toBe(false);
    expect(satisfiesCostTagRule(rule, 'production')).toBe(false);
  });
});
