import { Entity, KubernetesValidatorFunctions } from '@backstage/catalog-model';
import { costTagRuleText, satisfiesCostTagRule } from './costTagPolicy';
import { GoldenPathPolicy } from './policy';

/** Cost-tag values by tag name, e.g. `{ team: 'payments', 'cost-center': 'CC-1234' }`. */
export type CostTagValues = Record<string, string | undefined>;

/** The outcome of checking one cost tag. */
export interface CostTagFinding {
  tag: string;
  value?: string;
  status: 'ok' | 'missing' | 'invalid';
  /** What the value must look like, e.g. `must match ^CC-[0-9]{4}$`, when there is a rule to state. */
  rule?: string;
  /** What is wrong, starting with the tag name, e.g. `cost-center "1234" must match ^CC-[0-9]{4}$`. */
  message?: string;
}

/** The cost tags written to each layer, keyed by that layer's label, attribute or tag key. */
export interface CostTagProjection {
  catalogLabels: Record<string, string>;
  k8sLabels: Record<string, string>;
  otelResourceAttributes: Record<string, string>;
  cloudTags: Record<string, string>;
}

/** Every cost-tag value must pass this too, because it is written to Kubernetes labels. */
export const KUBERNETES_LABEL_VALUE_RULE =
  'must be a valid Kubernetes label value (at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit)';

/**
 * Checks cost-tag values against the policy: one finding per required tag, plus one per optional tag that is set.
 * Tags the policy does not know are ignored. An empty value counts as missing.
 */
export function validateCostTags(
  policy: GoldenPathPolicy,
  tags: CostTagValues,
): CostTagFinding[] {
  return policy.costTags.tags.flatMap((tag): CostTagFinding[] => {
    const value = valueOf(tags, tag.name);
    const rule = tag.rule && costTagRuleText(tag.rule);
    const ruleField = rule ? { rule } : {};
    if (value === undefined) {
      if (!tag.required) {
        return [];
      }
      const also = rule ? ` and ${rule}` : '';
      return [
        {
          tag: tag.name,
          status: 'missing',
          ...ruleField,
          message: `${tag.name} is required${also}`,
        },
      ];
    }
    if (tag.rule && !satisfiesCostTagRule(tag.rule, value)) {
      return [invalid(tag.name, value, rule!)];
    }
    if (!KubernetesValidatorFunctions.isValidLabelValue(value)) {
      return [invalid(tag.name, value, KUBERNETES_LABEL_VALUE_RULE)];
    }
    return [{ tag: tag.name, value, status: 'ok', ...ruleField }];
  });
}

function invalid(tag: string, value: string, rule: string): CostTagFinding {
  return {
    tag,
    value,
    status: 'invalid',
    rule,
    message: `${tag} ${JSON.stringify(value)} ${rule}`,
  };
}

/**
 * Throws one error listing every missing or invalid cost tag, each prefixed by `field`, e.g.
 * `costTags.cost-center "1234" must match ^CC-[0-9]{4}$; costTags.product is required`.
 */
export function assertValidCostTags(
  policy: GoldenPathPolicy,
  tags: CostTagValues,
  field = 'costTags',
): void {
  const problems = validateCostTags(policy, tags)
    .filter(finding => finding.status !== 'ok')
    .map(finding => `${field}.${finding.message}`);
  if (problems.length > 0) {
    throw new Error(problems.join('; '));
  }
}

/**
 * Writes the set cost tags into every layer under that layer's key (see `CostTagKeys`). Does not validate: call
 * {@link assertValidCostTags} first. Tags the policy does not know are left out.
 */
export function projectCostTags(
  policy: GoldenPathPolicy,
  tags: CostTagValues,
): CostTagProjection {
  const projection: CostTagProjection = {
    catalogLabels: {},
    k8sLabels: {},
    otelResourceAttributes: {},
    cloudTags: {},
  };
  for (const { name, keys } of policy.costTags.tags) {
    const value = valueOf(tags, name);
    if (value !== undefined) {
      projection.catalogLabels[keys.catalogLabel] = value;
      projection.k8sLabels[keys.k8sLabel] = value;
      projection.otelResourceAttributes[keys.otelAttribute] = value;
      projection.cloudTags[keys.cloudTag] = value;
    }
  }
  return projection;
}

/** The cost tags of a catalog entity: each tag's catalog label, or an annotation of the same key as a fallback. */
export function costTagsOfEntity(
  policy: GoldenPathPolicy,
  entity: Entity,
): CostTagValues {
  const { labels = {}, annotations = {} } = entity.metadata;
  return Object.fromEntries(
    policy.costTags.tags.map(({ name, keys }) => [
      name,
      labels[keys.catalogLabel] ?? annotations[keys.catalogLabel],
    ]),
  );
}

/**
 * How to fix a finding on a catalog entity, e.g.
 * `Set metadata.labels["golden-path.io/cost-center"] in catalog-info.yaml to a value that must match ^CC-[0-9]{4}$`.
 * Undefined for findings that are ok or for tags the policy does not know.
 */
export function costTagFixHint(
  policy: GoldenPathPolicy,
  finding: CostTagFinding,
): string | undefined {
  const tag = policy.costTags.tags.find(t => t.name === finding.tag);
  if (!tag || finding.status === 'ok') {
    return undefined;
  }
  const where = `Set metadata.labels[${JSON.stringify(
    tag.keys.catalogLabel,
  )}] in catalog-info.yaml`;
  return finding.rule ? `${where} to a value that ${finding.rule}` : where;
}

// Values may arrive untyped (template parameters, YAML numbers), so anything that is not a non-empty string is
// normalised here once.
function valueOf(tags: CostTagValues, name: string): string | undefined {
  const raw: unknown = tags[name];
  if (raw === undefined || raw === null) {
    return undefined;
  }
  const value = String(raw);
  return value.trim() === '' ? undefined : value;
}
