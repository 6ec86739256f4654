import { CommonValidatorFunctions } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { ConfigValue, describe } from './configValue';
import {
  CostTagsPolicy,
  costTagRuleText,
  readCostTagsPolicy,
  satisfiesCostTagRule,
} from './costTagPolicy';
import {
  AutoscalingPolicy,
  readAutoscaling,
  readBounds,
  readObjectName,
  readRegistry,
} from './deployPolicy';
import { ChaosPolicy, readChaosPolicy } from './chaosPolicy';
import { baseUrlProblem } from './safeHttpUrl';
import { secretsPathPatternProblem } from './secretsPath';
import {
  TRACE_BACKEND_TYPES,
  TraceBackend,
  datadogSiteProblem,
} from './traceLinks';

/** OpenTelemetry samplers, named as in `OTEL_TRACES_SAMPLER`. */
export const TRACE_SAMPLER_TYPES = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

/** One of {@link TRACE_SAMPLER_TYPES}. */
export type TraceSamplerType = (typeof TRACE_SAMPLER_TYPES)[number];

const RATIO_SAMPLERS = ['traceidratio', 'parentbased_traceidratio'] as const;

/** The sampler generated services use; `ratio` (`OTEL_TRACES_SAMPLER_ARG`) only for the ratio samplers. */
export type TraceSampler =
  | { type: Exclude<TraceSamplerType, (typeof RATIO_SAMPLERS)[number]> }
  | { type: (typeof RATIO_SAMPLERS)[number]; ratio: number };

/** Where generated services' secrets are kept. */
export const SECRETS_PROVIDERS = [
  'local',
  'vault',
  'aws-secrets-manager',
  'gcp-secret-manager',
] as const;

/** One of {@link SECRETS_PROVIDERS}. */
export type SecretsProvider = (typeof SECRETS_PROVIDERS)[number];

/** The External Secrets Operator store kinds. */
export const SECRET_STORE_KINDS = [
  'ClusterSecretStore',
  'SecretStore',
] as const;

/** GitOps tools the templates can generate for; Flux is the only one today. */
export const GITOPS_TOOLS = ['flux'] as const;

/** The tracing part of the golden-path policy. */
export interface TracingPolicy {
  /** OTLP/HTTP endpoint generated services export to (`OTEL_EXPORTER_OTLP_ENDPOINT`). */
  otlpEndpoint: string;
  sampler: TraceSampler;
  /** How generated services export metrics: to the same endpoint, with the same resource attributes. */
  metrics: MetricsPolicy;
  /** Where people look at traces, in the order the UI shows them. */
  links: readonly TraceBackend[];
}

/** The metrics part of the tracing policy. */
export interface MetricsPolicy {
  /** Seconds between two metric exports (`OTEL_METRIC_EXPORT_INTERVAL`, which is in milliseconds). */
  exportIntervalSeconds: number;
}

/** Bounds of `tracing.metrics.exportIntervalSeconds`: a collector scrape-like 1 s at least, an hour at most. */
export const METRIC_EXPORT_INTERVAL_BOUNDS = { min: 1, max: 3600 } as const;

/** The secrets part of the golden-path policy. */
export interface SecretsPolicy {
  provider: SecretsProvider;
  /** The External Secrets Operator store generated `ExternalSecret`s reference. */
  store: { kind: (typeof SECRET_STORE_KINDS)[number]; name: string };
  /** Where each secret lives in the provider; see `renderSecretsPath`. */
  pathPattern: string;
}

/** The deployment part of the golden-path policy. */
export interface DeployPolicy {
  gitops: (typeof GITOPS_TOOLS)[number];
  /** The environments every service is deployed to, in promotion order. */
  environments: readonly string[];
  /** Default autoscaling bounds, for environments `autoscaling.environments` does not list. */
  hpa: { min: number; max: number };
  /**
   * Where CI pushes images, e.g. `ghcr.io/acme`: a service's image is `<registry>/<name>`. Unset means templates
   * must pass an image themselves.
   */
  registry?: string;
  /** The `docker-registry` Secret pods pull images with, when the registry is private. */
  imagePullSecret?: string;
  /** Per-environment replica bounds, peak windows and the scaling engine. */
  autoscaling: AutoscalingPolicy;
}

/** The GitHub part of the golden-path policy. */
export interface GithubPolicy {
  /** The organisation that holds the teams, for `@org/team` handles; undefined when unknown. */
  org?: string;
}

/** The golden-path policy, fully resolved: defaults applied, rules compiled, cross-checks done. */
export interface GoldenPathPolicy {
  github: GithubPolicy;
  costTags: CostTagsPolicy;
  tracing: TracingPolicy;
  secrets: SecretsPolicy;
  deploy: DeployPolicy;
  chaos: ChaosPolicy;
}

const DEFAULTS = {
  otlpEndpoint: 'http://otel-collector.observability:4318',
  sampler: { type: 'parentbased_traceidratio', ratio: 0.1 } as const,
  // The OpenTelemetry SDK default (OTEL_METRIC_EXPORT_INTERVAL=60000).
  metricExportIntervalSeconds: 60,
  links: [{ type: 'jaeger', baseUrl: 'http://localhost:16686' }] as const,
  secrets: {
    provider: 'local',
    store: { kind: 'ClusterSecretStore', name: 'platform-secrets' },
    pathPattern: '{environment}/{component}/{key}',
  } as const,
  deploy: { gitops: 'flux', environments: ['dev', 'staging', 'prod'] } as const,
  hpa: { min: 2, max: 10 },
};

/**
 * Reads the `goldenPath` policy from app-config: every missing key takes its default, and bad config throws an
 * error naming the full key and the rule it breaks. Works with the backend's root config and the frontend's
 * `configApi` alike; in the browser only keys marked frontend-visible in config.d.ts are present (cost tags, trace
 * links, deploy environments), so the other parts hold their defaults there.
 */
export function readGoldenPathPolicy(config: Config): GoldenPathPolicy {
  return resolvePolicy(
    new ConfigValue('goldenPath', config.getOptional('goldenPath')),
  );
}

function resolvePolicy(root: ConfigValue): GoldenPathPolicy {
  root.object();
  const deploy = readDeploy(root.get('deploy'));
  const policy: GoldenPathPolicy = {
    github: readGithub(root.get('github')),
    costTags: readCostTagsPolicy(root.get('costTags')),
    tracing: readTracing(root.get('tracing')),
    secrets: readSecrets(root.get('secrets')),
    deploy,
    chaos: readChaosPolicy(root.get('chaos'), deploy.environments),
  };
  checkEnvironmentsPassTheirTagRule(policy, root);
  return policy;
}

function readGithub(github: ConfigValue): GithubPolicy {
  const orgValue = github.get('org');
  const org = orgValue.string();
  if (
    org !== undefined &&
    !/^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/.test(org)
  ) {
    orgValue.fail(
      `${describe(
        org,
      )} is not a GitHub organisation name (letters, digits and single hyphens, at most 39 characters)`,
    );
  }
  return org === undefined ? {} : { org };
}

function readTracing(tracing: ConfigValue): TracingPolicy {
  const endpoint = tracing.get('otlpEndpoint');
  const otlpEndpoint = endpoint.string() ?? DEFAULTS.otlpEndpoint;
  checkBaseUrl(endpoint, otlpEndpoint);
  return {
    otlpEndpoint,
    sampler: readSampler(tracing.get('sampler')),
    metrics: readMetrics(tracing.get('metrics')),
    links:
      tracing.get('links').list()?.map(readLink) ??
      DEFAULTS.links.map(link => ({ ...link })),
  };
}

function readMetrics(metrics: ConfigValue): MetricsPolicy {
  metrics.object();
  const intervalValue = metrics.get('exportIntervalSeconds');
  const interval = intervalValue.integer();
  const { min, max } = METRIC_EXPORT_INTERVAL_BOUNDS;
  if (interval !== undefined && (interval < min || interval > max)) {
    intervalValue.breaks(
      `must be between ${min} and ${max} seconds, got ${interval}`,
    );
  }
  return {
    exportIntervalSeconds: interval ?? DEFAULTS.metricExportIntervalSeconds,
  };
}

function readSampler(sampler: ConfigValue): TraceSampler {
  const typeValue = sampler.get('type');
  const ratioValue = sampler.get('ratio');
  const type = typeValue.oneOf(TRACE_SAMPLER_TYPES) ?? DEFAULTS.sampler.type;
  const ratio = ratioValue.number();
  if (!isRatioSampler(type)) {
    if (ratio !== undefined) {
      ratioValue.breaks(
        `only applies to the ${RATIO_SAMPLERS.join(
          ' and ',
        )} samplers, not ${type}`,
      );
    }
    return { type };
  }
  if (ratio === undefined && !typeValue.isMissing) {
    return ratioValue.breaks(`is required when ${typeValue.key} is ${type}`);
  }
  if (ratio !== undefined && (ratio < 0 || ratio > 1)) {
    ratioValue.breaks(`must be between 0 and 1, got ${ratio}`);
  }
  return { type, ratio: ratio ?? DEFAULTS.sampler.ratio };
}

function isRatioSampler(
  type: TraceSamplerType,
): type is (typeof RATIO_SAMPLERS)[number] {
  return (RATIO_SAMPLERS as readonly string[]).includes(type);
}

function readLink(link: ConfigValue): TraceBackend {
  link.object();
  const typeValue = link.get('type');
  const type =
    typeValue.oneOf(TRACE_BACKEND_TYPES) ?? typeValue.breaks('is required');
  const title = link.get('title').string();
  const common = title === undefined ? {} : { title };
  switch (type) {
    case 'jaeger':
      return { type, baseUrl: readBaseUrl(link.get('baseUrl')), ...common };
    case 'grafana-tempo': {
      const orgIdValue = link.get('orgId');
      const orgId = orgIdValue.integer();
      if (orgId !== undefined && orgId < 1) {
        orgIdValue.breaks(`must be 1 or more, got ${orgId}`);
      }
      return {
        type,
        baseUrl: readBaseUrl(link.get('baseUrl')),
        datasourceUid: link.get('datasourceUid').requiredString(),
        ...(orgId === undefined ? {} : { orgId }),
        ...common,
      };
    }
    case 'honeycomb': {
      const environment = link.get('environment').string();
      const dataset = link.get('dataset').string();
      const region = link.get('region').oneOf(['us', 'eu'] as const);
      return {
        type,
        team: link.get('team').requiredString(),
        ...(environment === undefined ? {} : { environment }),
        ...(dataset === undefined ? {} : { dataset }),
        ...(region === undefined ? {} : { region }),
        ...common,
      };
    }
    case 'datadog': {
      const siteValue = link.get('site');
      const site = siteValue.requiredString();
      const problem = datadogSiteProblem(site);
      if (problem) {
        siteValue.fail(`${describe(site)} ${problem}`);
      }
      return { type, site, ...common };
    }
    default:
      return typeValue.fail(`unsupported type ${describe(type)}`);
  }
}

function readBaseUrl(value: ConfigValue): string {
  const url = value.requiredString();
  checkBaseUrl(value, url);
  return url;
}

function checkBaseUrl(value: ConfigValue, url: string) {
  const problem = baseUrlProblem(url);
  if (problem) {
    value.fail(`${describe(url)} ${problem}`);
  }
}

function readSecrets(secrets: ConfigValue): SecretsPolicy {
  const nameValue = secrets.get('store').get('name');
  const name = nameValue.string() ?? DEFAULTS.secrets.store.name;
  if (!CommonValidatorFunctions.isValidDnsSubdomain(name)) {
    nameValue.fail(
      `${describe(
        name,
      )} is not a valid Kubernetes object name (lowercase letters, digits, "-" and ".")`,
    );
  }
  const patternValue = secrets.get('pathPattern');
  const pathPattern = patternValue.string() ?? DEFAULTS.secrets.pathPattern;
  const problem = secretsPathPatternProblem(pathPattern);
  if (problem) {
    patternValue.breaks(problem);
  }
  return {
    provider:
      secrets.get('provider').oneOf(SECRETS_PROVIDERS) ??
      DEFAULTS.secrets.provider,
    store: {
      kind:
        secrets.get('store').get('kind').oneOf(SECRET_STORE_KINDS) ??
        DEFAULTS.secrets.store.kind,
      name,
    },
    pathPattern,
  };
}

function readDeploy(deploy: ConfigValue): DeployPolicy {
  const environmentsValue = deploy.get('environments');
  const environments = environmentsValue.stringList() ?? [
    ...DEFAULTS.deploy.environments,
  ];
  if (environments.length === 0) {
    environmentsValue.breaks('must list at least one environment');
  }
  environmentsValue.list()?.forEach(item => {
    if (!CommonValidatorFunctions.isValidDnsLabel(item.value)) {
      item.fail(
        `${describe(
          item.value,
        )} is not a valid environment name (lowercase letters, digits and hyphens, at most 63 characters)`,
      );
    }
  });

  const hpa = readBounds(deploy.get('hpa'), DEFAULTS.hpa);
  const registry = readRegistry(deploy.get('registry'));
  const imagePullSecret = readObjectName(deploy.get('imagePullSecret'));
  return {
    gitops: deploy.get('gitops').oneOf(GITOPS_TOOLS) ?? DEFAULTS.deploy.gitops,
    environments,
    hpa,
    ...(registry === undefined ? {} : { registry }),
    ...(imagePullSecret === undefined ? {} : { imagePullSecret }),
    autoscaling: readAutoscaling(deploy.get('autoscaling'), environments, hpa),
  };
}

// A service deployed to an environment that its own environment tag may not carry would fail cost validation.
function checkEnvironmentsPassTheirTagRule(
  policy: GoldenPathPolicy,
  root: ConfigValue,
) {
  const rule = policy.costTags.tags.find(
    tag => tag.name === 'environment',
  )?.rule;
  if (!rule) {
    return;
  }
  policy.deploy.environments.forEach((environment, index) => {
    if (!satisfiesCostTagRule(rule, environment)) {
      new ConfigValue(
        `${root.key}.deploy.environments[${index}]`,
        environment,
      ).fail(
        `${describe(environment)} breaks the environment cost-tag rule (${
          root.key
        }.costTags.rules.environment ${costTagRuleText(rule)})`,
      );
    }
  });
}

function deepFreeze<T>(value: T): T {
  if (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof RegExp)
  ) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

/** The policy when app-config has no `goldenPath` key. Frozen: copy it before changing anything. */
export const DEFAULT_GOLDEN_PATH_POLICY: GoldenPathPolicy = deepFreeze(
  resolvePolicy(new ConfigValue('goldenPath', undefined)),
);
