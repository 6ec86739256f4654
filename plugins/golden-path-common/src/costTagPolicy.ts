import { KubernetesValidatorFunctions } from '@backstage/catalog-model';
import { ConfigValue, describe } from './configValue';

/** Where one cost tag is written in each layer. */
export interface CostTagKeys {
  /** Label on the catalog entity (`metadata.labels`), e.g. `golden-path.io/cost-center`. */
  catalogLabel: string;
  /** Label on Kubernetes namespaces and pod templates, e.g. `cost-center`. */
  k8sLabel: string;
  /** OpenTelemetry resource attribute, e.g. `cost_center`. */
  otelAttribute: string;
  /** Cloud resource tag (AWS tag, GCP label, Azure tag), e.g. `cost-center`. */
  cloudTag: string;
}

/** What a cost tag's value must look like, beyond being a valid Kubernetes label value. */
export type CostTagRule =
  | {
      kind: 'pattern';
      /** The regular expression as configured. */
      source: string;
      /** The compiled expression; it matches whole values only. */
      pattern: RegExp;
    }
  | { kind: 'oneOf'; values: readonly string[] };

/** One cost tag, fully resolved. */
export interface CostTagPolicy {
  name: string;
  /** Required tags must be set; optional tags are checked only when set. */
  required: boolean;
  rule?: CostTagRule;
  keys: CostTagKeys;
}

/** The cost-tag part of the golden-path policy. */
export interface CostTagsPolicy {
  /** Required tags in configured order, then optional ones (tags with a rule or keys but not required). */
  tags: readonly CostTagPolicy[];
}

/** The default `goldenPath.costTags` config. */
export const DEFAULT_COST_TAGS_CONFIG = {
  required: ['team', 'cost-center', 'environment', 'product'],
  rules: {
    'cost-center': '^CC-[0-9]{4}$',
    environment: ['dev', 'staging', 'prod'],
  } as Record<string, string | string[]>,
};

/** Prefix of the catalog label of each cost tag, unless overridden. */
export const COST_TAG_CATALOG_LABEL_PREFIX = 'golden-path.io/';

// Defaults chosen so that OpenCost/Kubecost allocation (team, env) and OTel semantic conventions work untouched.
const DEFAULT_K8S_LABELS: Record<string, string> = {
  team: 'team',
  'cost-center': 'cost-center',
  environment: 'env',
  product: 'app.kubernetes.io/part-of',
};
const DEFAULT_OTEL_ATTRIBUTES: Record<string, string> = {
  team: 'team',
  environment: 'deployment.environment.name',
  product: 'service.namespace',
};

/** Where a tag is written when `goldenPath.costTags.keys` does not say otherwise. */
export function defaultCostTagKeys(tag: string): CostTagKeys {
  return {
    catalogLabel: `${COST_TAG_CATALOG_LABEL_PREFIX}${tag}`,
    k8sLabel: DEFAULT_K8S_LABELS[tag] ?? tag,
    otelAttribute: DEFAULT_OTEL_ATTRIBUTES[tag] ?? tag.replace(/-/g, '_'),
    cloudTag: tag,
  };
}

/** The rule as a sentence completion, e.g. `must match ^CC-[0-9]{4}$` or `must be one of dev, staging, prod`. */
export function costTagRuleText(rule: CostTagRule): string {
  return rule.kind === 'pattern'
    ? `must match ${rule.source}`
    : `must be one of ${rule.values.join(', ')}`;
}

/** Whether `value` satisfies `rule`. */
export function satisfiesCostTagRule(
  rule: CostTagRule,
  value: string,
): boolean {
  return rule.kind === 'pattern'
    ? rule.pattern.test(value)
    : rule.values.includes(value);
}

const TAG_NAME_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const TAG_NAME_RULE =
  'is not a tag name (lowercase letters, digits and single hyphens, starting with a letter, at most 63 characters)';
const OTEL_ATTRIBUTE_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]*$/;
// GCP labels are the strictest of the clouds, so a key that passes here works on AWS and Azure too.
const CLOUD_TAG_PATTERN = /^[a-z][a-z0-9_-]{0,62}$/;
const KEY_CHECKS: Record<
  keyof CostTagKeys,
  [(key: string) => boolean, string]
> = {
  catalogLabel: [
    KubernetesValidatorFunctions.isValidLabelKey,
    'is not a valid label key (an optional DNS prefix and "/", then at most 63 letters, digits, "-", "_" or ".")',
  ],
  k8sLabel: [
    KubernetesValidatorFunctions.isValidLabelKey,
    'is not a valid Kubernetes label key (an optional DNS prefix and "/", then at most 63 letters, digits, "-", "_" or ".")',
  ],
  otelAttribute: [
    key => OTEL_ATTRIBUTE_PATTERN.test(key),
    'is not an OpenTelemetry attribute name (letters, digits, ".", "_" and "-", starting with a letter)',
  ],
  cloudTag: [
    key => CLOUD_TAG_PATTERN.test(key),
    'is not a portable cloud tag key (lowercase letters, digits, "-" and "_", starting with a letter, at most 63 characters, as GCP labels require)',
  ],
};

/** Reads and checks `goldenPath.costTags`; throws an error naming the key on bad config. */
export function readCostTagsPolicy(config: ConfigValue): CostTagsPolicy {
  const requiredValue = config.get('required');
  const rulesValue = config.get('rules');
  const keysValue = config.get('keys');

  const required =
    requiredValue.stringList() ?? DEFAULT_COST_TAGS_CONFIG.required;
  requiredValue.list()?.forEach(item => checkTagName(item));

  const rules = new Map<string, CostTagRule>();
  if (rulesValue.isMissing) {
    for (const [tag, rule] of Object.entries(DEFAULT_COST_TAGS_CONFIG.rules)) {
      rules.set(
        tag,
        readRule(new ConfigValue(`${rulesValue.key}.${tag}`, rule)),
      );
    }
  } else {
    for (const tag of rulesValue.keys()) {
      checkTagName(new ConfigValue(`${rulesValue.key}.${tag}`, tag));
      rules.set(tag, readRule(rulesValue.get(tag)));
    }
  }

  for (const tag of keysValue.keys()) {
    checkTagName(new ConfigValue(`${keysValue.key}.${tag}`, tag));
  }

  const names = [
    ...new Set([...required, ...rules.keys(), ...keysValue.keys()]),
  ];
  const tags = names.map(name => ({
    name,
    required: required.includes(name),
    ...(rules.has(name) ? { rule: rules.get(name) } : {}),
    keys: readKeys(keysValue.get(name), name),
  }));
  checkKeysAreDistinct(tags, keysValue);
  return { tags };
}

function checkTagName(value: ConfigValue) {
  const name = value.value;
  if (
    typeof name !== 'string' ||
    name.length > 63 ||
    !TAG_NAME_PATTERN.test(name)
  ) {
    value.fail(`${describe(name)} ${TAG_NAME_RULE}`);
  }
}

function readRule(value: ConfigValue): CostTagRule {
  if (typeof value.value === 'string') {
    const source = value.requiredString();
    try {
      // Compile the source alone first: wrapping an invalid pattern such as `a)(b` could make it valid.
      new RegExp(source); // eslint-disable-line no-new
    } catch {
      return value.fail(
        `${describe(source)} is not a valid regular expression`,
      );
    }
    return { kind: 'pattern', source, pattern: new RegExp(`^(?:${source})$`) };
  }
  if (Array.isArray(value.value)) {
    const values = value.stringList()!;
    if (values.length === 0) {
      return value.fail('the list of allowed values must not be empty');
    }
    const bad = values.find(
      v => !KubernetesValidatorFunctions.isValidLabelValue(v),
    );
    if (bad !== undefined) {
      return value.fail(
        `${describe(
          bad,
        )} is not a valid Kubernetes label value, so no resource could carry it`,
      );
    }
    return { kind: 'oneOf', values };
  }
  return value.fail(
    `expected a regular expression or a list of allowed values, got ${describe(
      value.value,
    )}`,
  );
}

function readKeys(value: ConfigValue, tag: string): CostTagKeys {
  const keys = defaultCostTagKeys(tag);
  const names = Object.keys(keys) as (keyof CostTagKeys)[];
  for (const name of value.keys()) {
    if (!(names as string[]).includes(name)) {
      value.fail(`unknown key ${describe(name)}; expected ${names.join(', ')}`);
    }
  }
  for (const name of names) {
    const field = value.get(name);
    const key = field.string() ?? keys[name];
    const [isValid, rule] = KEY_CHECKS[name];
    if (!isValid(key)) {
      field.fail(`${describe(key)} ${rule}`);
    }
    keys[name] = key;
  }
  return keys;
}

// Two tags written to the same label or attribute would silently overwrite each other.
function checkKeysAreDistinct(tags: CostTagPolicy[], keysValue: ConfigValue) {
  for (const name of Object.keys(KEY_CHECKS) as (keyof CostTagKeys)[]) {
    const owner = new Map<string, string>();
    for (const tag of tags) {
      const key = tag.keys[name];
      const other = owner.get(key);
      if (other !== undefined) {
        keysValue
          .get(tag.name)
          .get(name)
          .fail(`${describe(key)} is already the ${name} of tag ${other}`);
      }
      owner.set(key, tag.name);
    }
  }
}
