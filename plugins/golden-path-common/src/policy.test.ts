/* eslint-disable no-script-url -- these tests check that script URLs never become links */
import { ConfigReader } from '@backstage/config';
import {
  DEFAULT_GOLDEN_PATH_POLICY,
  GoldenPathPolicy,
  readGoldenPathPolicy,
} from './policy';

function read(goldenPath: unknown): GoldenPathPolicy {
  return readGoldenPathPolicy(new ConfigReader({ goldenPath } as any));
}

/** The policy as plain data, with each compiled rule shown by its source. */
function plain(policy: GoldenPathPolicy) {
  return JSON.parse(
    JSON.stringify(policy, (_, v) => (v instanceof RegExp ? v.source : v)),
  );
}

describe('readGoldenPathPolicy', () => {
  it('gives the defaults when app-config has no goldenPath', () => {
    const policy = readGoldenPathPolicy(new ConfigReader({}));
    expect(plain(policy)).toEqual({
      github: {},
      costTags: {
        tags: [
          {
            name: 'team',
            required: true,
            keys: {
              catalogLabel: 'golden-path.io/team',
              k8sLabel: 'team',
              otelAttribute: 'team',
              cloudTag: 'team',
            },
          },
          {
            name: 'cost-center',
            required: true,
            rule: {
              kind: 'pattern',
              source: '^CC-[0-9]{4}$',
              pattern: '^(?:^CC-[0-9]{4}$)$',
            },
            keys: {
              catalogLabel: 'golden-path.io/cost-center',
              k8sLabel: 'cost-center',
              otelAttribute: 'cost_center',
              cloudTag: 'cost-center',
            },
          },
          {
            name: 'environment',
            required: true,
            rule: { kind: 'oneOf', values: ['dev', 'staging', 'prod'] },
            keys: {
              catalogLabel: 'golden-path.io/environment',
              k8sLabel: 'env',
              otelAttribute: 'deployment.environment.name',
              cloudTag: 'environment',
            },
          },
          {
            name: 'product',
            required: true,
            keys: {
              catalogLabel: 'golden-path.io/product',
              k8sLabel: 'app.kubernetes.io/part-of',
              otelAttribute: 'service.namespace',
              cloudTag: 'product',
            },
          },
        ],
      },
      tracing: {
        otlpEndpoint: 'http://otel-collector.observability:4318',
        sampler: { type: 'parentbased_traceidratio', ratio: 0.1 },
        metrics: { exportIntervalSeconds: 60 },
        links: [{ type: 'jaeger', baseUrl: 'http://localhost:16686' }],
      },
      secrets: {
        provider: 'local',
        store: { kind: 'ClusterSecretStore', name: 'platform-secrets' },
        pathPattern: '{environment}/{component}/{key}',
      },
      deploy: {
        gitops: 'flux',
        environments: ['dev', 'staging', 'prod'],
        hpa: { min: 2, max: 10 },
        // No registry: nothing to guess it from, so golden-path:deploy then asks for an image.
        autoscaling: {
          engine: 'keda',
          environments: {
            dev: { min: 2, max: 10 },
            staging: { min: 2, max: 10 },
            prod: { min: 2, max: 10 },
          },
          peakWindows: [],
        },
      },
      chaos: {
        enabled: false,
        environment: 'staging',
        timezone: 'UTC',
        businessHours: { start: 10, end: 16 },
        networkDelay: { latency: '200ms', durationMinutes: 10 },
      },
    });
    expect(policy).toEqual(DEFAULT_GOLDEN_PATH_POLICY);
  });

  it('reads the GitHub organisation for CODEOWNERS, and refuses one that is not a GitHub name', () => {
    expect(
      readGoldenPathPolicy(
        new ConfigReader({ goldenPath: { github: { org: 'acme-eu' } } }),
      ).github,
    ).toEqual({ org: 'acme-eu' });
    expect(() =>
      readGoldenPathPolicy(
        new ConfigReader({
          goldenPath: { github: { org: 'acme\n* @mallory' } },
        }),
      ),
    ).toThrow('goldenPath.github.org');
  });

  it('keeps the default policy frozen', () => {
    expect(
      Object.isFrozen(DEFAULT_GOLDEN_PATH_POLICY.deploy.environments),
    ).toBe(true);
    expect(() =>
      (DEFAULT_GOLDEN_PATH_POLICY.deploy.environments as string[]).push('qa'),
    ).toThrow();
    // A policy read from config is the caller's own, not a view of the frozen default.
    expect(Object.isFrozen(read({}).deploy.environments)).toBe(false);
  });

  it('ignores keys other golden-path packages own, such as publish', () => {
    expect(read({ publish: { local: { rootDirectory: 'repos' } } })).toEqual(
      DEFAULT_GOLDEN_PATH_POLICY,
    );
  });

  it('reads a full config', () => {
    const policy = read({
      costTags: {
        required: ['team', 'cost-center'],
        rules: {
          'cost-center': 'CC-[0-9]{4}',
          tier: ['gold', 'silver'],
        },
        keys: {
          team: { k8sLabel: 'owner', cloudTag: 'owner' },
          'business-unit': { otelAttribute: 'business.unit' },
        },
      },
      tracing: {
        otlpEndpoint: 'https://collector.example.com:4318',
        sampler: { type: 'always_on' },
        metrics: { exportIntervalSeconds: '15' },
        links: [
          { type: 'jaeger', baseUrl: 'http://localhost:16686', title: 'Local' },
          {
            type: 'grafana-tempo',
            baseUrl: 'https://grafana.example.com',
            datasourceUid: 'tempo',
            orgId: '2',
          },
          {
            type: 'honeycomb',
            team: 'acme',
            environment: 'prod',
            dataset: 'payments-api',
            region: 'eu',
          },
          { type: 'datadog', site: 'datadoghq.eu' },
        ],
      },
      secrets: {
        provider: 'vault',
        store: { kind: 'SecretStore', name: 'vault' },
        pathPattern: 'secret/data/{component}/{environment}/{key}',
      },
      deploy: {
        environments: ['dev', 'prod'],
        hpa: { min: '1', max: 3 },
      },
    });
    expect(
      policy.costTags.tags.map(tag => [tag.name, tag.required, tag.keys]),
    ).toEqual([
      [
        'team',
        true,
        {
          catalogLabel: 'golden-path.io/team',
          k8sLabel: 'owner',
          otelAttribute: 'team',
          cloudTag: 'owner',
        },
      ],
      [
        'cost-center',
        true,
        expect.objectContaining({ otelAttribute: 'cost_center' }),
      ],
      ['tier', false, expect.objectContaining({ k8sLabel: 'tier' })],
      [
        'business-unit',
        false,
        {
          catalogLabel: 'golden-path.io/business-unit',
          k8sLabel: 'business-unit',
          otelAttribute: 'business.unit',
          cloudTag: 'business-unit',
        },
      ],
    ]);
    expect(policy.tracing).toEqual({
      otlpEndpoint: 'https://collector.example.com:4318',
      sampler: { type: 'always_on' },
      metrics: { exportIntervalSeconds: 15 },
      links: [
        { type: 'jaeger', baseUrl: 'http://localhost:16686', title: 'Local' },
        {
          type: 'grafana-tempo',
          baseUrl: 'https://grafana.example.com',
          datasourceUid: 'tempo',
          orgId: 2,
        },
        {
          type: 'honeycomb',
          team: 'acme',
          environment: 'prod',
          dataset: 'payments-api',
          region: 'eu',
        },
        { type: 'datadog', site: 'datadoghq.eu' },
      ],
    });
    expect(policy.secrets).toEqual({
      provider: 'vault',
      store: { kind: 'SecretStore', name: 'vault' },
      pathPattern: 'secret/data/{component}/{environment}/{key}',
    });
    expect(policy.deploy).toEqual({
      gitops: 'flux',
      environments: ['dev', 'prod'],
      hpa: { min: 1, max: 3 },
      autoscaling: {
        engine: 'keda',
        environments: { dev: { min: 1, max: 3 }, prod: { min: 1, max: 3 } },
        peakWindows: [],
      },
    });
  });

  it('matches regex rules against whole values, anchored or not', () => {
    const [, costCenter] = read({
      costTags: { rules: { 'cost-center': 'CC-[0-9]{4}' } },
    }).costTags.tags;
    const pattern = (costCenter.rule as { pattern: RegExp }).pattern;
    expect(pattern.test('CC-1234')).toBe(true);
    expect(pattern.test('xCC-1234')).toBe(false);
    expect(pattern.test('CC-12345')).toBe(false);
  });

  it('treats an explicit empty list of links as no links', () => {
    expect(read({ tracing: { links: [] } }).tracing.links).toEqual([]);
  });

  it('defaults the ratio only together with the sampler type', () => {
    expect(
      read({ tracing: { sampler: { ratio: 0.5 } } }).tracing.sampler,
    ).toEqual({ type: 'parentbased_traceidratio', ratio: 0.5 });
    expect(
      read({ tracing: { sampler: { type: 'traceidratio', ratio: 1 } } }).tracing
        .sampler,
    ).toEqual({ type: 'traceidratio', ratio: 1 });
  });

  it.each<[string, unknown, string]>([
    [
      'goldenPath is not an object',
      'yes',
      "Invalid goldenPath: expected an object, got 'yes'",
    ],
    [
      'a regex rule does not compile',
      { costTags: { rules: { 'cost-center': '^CC-[' } } },
      "Invalid goldenPath.costTags.rules.cost-center: '^CC-[' is not a valid regular expression",
    ],
    [
      'a regex rule is only valid once wrapped',
      { costTags: { rules: { 'cost-center': 'a)(b' } } },
      "Invalid goldenPath.costTags.rules.cost-center: 'a)(b' is not a valid regular expression",
    ],
    [
      'a rule is neither regex nor list',
      { costTags: { rules: { tier: 3 } } },
      'Invalid goldenPath.costTags.rules.tier: expected a regular expression or a list of allowed values, got 3',
    ],
    [
      'an allowed value can never be a label value',
      { costTags: { rules: { environment: ['dev', 'Prod Env'] } } },
      "Invalid goldenPath.costTags.rules.environment: 'Prod Env' is not a valid Kubernetes label value, so no resource could carry it",
    ],
    [
      'a list rule is empty',
      { costTags: { rules: { environment: [] } } },
      'Invalid goldenPath.costTags.rules.environment: the list of allowed values must not be empty',
    ],
    [
      'a required tag is not kebab-case',
      { costTags: { required: ['team', 'Cost_Center'] } },
      "Invalid goldenPath.costTags.required[1]: 'Cost_Center' is not a tag name (lowercase letters, digits and single hyphens, starting with a letter, at most 63 characters)",
    ],
    [
      'a required tag is listed twice',
      { costTags: { required: ['team', 'team'] } },
      "Invalid goldenPath.costTags.required: 'team' is listed more than once",
    ],
    [
      'a key override has a typo',
      { costTags: { keys: { team: { k8slabel: 'owner' } } } },
      "Invalid goldenPath.costTags.keys.team: unknown key 'k8slabel'; expected catalogLabel, k8sLabel, otelAttribute, cloudTag",
    ],
    [
      'a Kubernetes label key is invalid',
      { costTags: { keys: { team: { k8sLabel: 'owner team' } } } },
      'Invalid goldenPath.costTags.keys.team.k8sLabel: \'owner team\' is not a valid Kubernetes label key (an optional DNS prefix and "/", then at most 63 letters, digits, "-", "_" or ".")',
    ],
    [
      'a cloud tag key is not portable',
      { costTags: { keys: { team: { cloudTag: 'Team' } } } },
      'Invalid goldenPath.costTags.keys.team.cloudTag: \'Team\' is not a portable cloud tag key (lowercase letters, digits, "-" and "_", starting with a letter, at most 63 characters, as GCP labels require)',
    ],
    [
      'two tags write the same label',
      { costTags: { keys: { product: { k8sLabel: 'team' } } } },
      "Invalid goldenPath.costTags.keys.product.k8sLabel: 'team' is already the k8sLabel of tag team",
    ],
    [
      'an optional tag collides with a default key',
      { costTags: { rules: { env: ['a'] } } },
      "Invalid goldenPath.costTags.keys.env.k8sLabel: 'env' is already the k8sLabel of tag environment",
    ],
    [
      'the OTLP endpoint is not http(s)',
      { tracing: { otlpEndpoint: 'grpc://collector:4317' } },
      "Invalid goldenPath.tracing.otlpEndpoint: 'grpc://collector:4317' must be an absolute http:// or https:// URL",
    ],
    [
      'the metric export interval is not a whole number',
      { tracing: { metrics: { exportIntervalSeconds: 2.5 } } },
      'Invalid goldenPath.tracing.metrics.exportIntervalSeconds: expected a whole number, got 2.5',
    ],
    [
      'the metric export interval is below a second',
      { tracing: { metrics: { exportIntervalSeconds: 0 } } },
      'goldenPath.tracing.metrics.exportIntervalSeconds must be between 1 and 3600 seconds, got 0',
    ],
    [
      'the metric export interval is above an hour',
      { tracing: { metrics: { exportIntervalSeconds: 7200 } } },
      'goldenPath.tracing.metrics.exportIntervalSeconds must be between 1 and 3600 seconds, got 7200',
    ],
    [
      'metrics is not an object',
      { tracing: { metrics: 30 } },
      'Invalid goldenPath.tracing.metrics: expected an object, got 30',
    ],
    [
      'the sampler is unknown',
      { tracing: { sampler: { type: 'probabilistic' } } },
      "Invalid goldenPath.tracing.sampler.type: 'probabilistic' is not one of always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio",
    ],
    [
      'the ratio is out of range',
      { tracing: { sampler: { ratio: 1.5 } } },
      'goldenPath.tracing.sampler.ratio must be between 0 and 1, got 1.5',
    ],
    [
      'a ratio sampler has no ratio',
      { tracing: { sampler: { type: 'traceidratio' } } },
      'goldenPath.tracing.sampler.ratio is required when goldenPath.tracing.sampler.type is traceidratio',
    ],
    [
      'a ratio is given to a sampler without one',
      { tracing: { sampler: { type: 'always_on', ratio: 0.5 } } },
      'goldenPath.tracing.sampler.ratio only applies to the traceidratio and parentbased_traceidratio samplers, not always_on',
    ],
    [
      'the ratio is not a number',
      { tracing: { sampler: { ratio: 'half' } } },
      "Invalid goldenPath.tracing.sampler.ratio: expected a number, got 'half'",
    ],
    [
      'a link has an unknown type',
      { tracing: { links: [{ type: 'zipkin', baseUrl: 'http://zipkin' }] } },
      "Invalid goldenPath.tracing.links[0].type: 'zipkin' is not one of jaeger, grafana-tempo, honeycomb, datadog",
    ],
    [
      'a link has no type',
      { tracing: { links: [{ baseUrl: 'http://jaeger' }] } },
      'goldenPath.tracing.links[0].type is required',
    ],
    [
      'a link base URL is a script',
      {
        tracing: {
          links: [{ type: 'jaeger', baseUrl: 'javascript:alert(1)' }],
        },
      },
      "Invalid goldenPath.tracing.links[0].baseUrl: 'javascript:alert(1)' must be an absolute http:// or https:// URL",
    ],
    [
      'a link base URL carries credentials',
      {
        tracing: {
          links: [
            {
              type: 'grafana-tempo',
              baseUrl: 'https://admin:admin@grafana',
              datasourceUid: 'tempo',
            },
          ],
        },
      },
      "Invalid goldenPath.tracing.links[0].baseUrl: 'https://admin:admin@grafana' must not contain credentials",
    ],
    [
      'a Grafana link has no data source',
      { tracing: { links: [{ type: 'grafana-tempo', baseUrl: 'https://g' }] } },
      'goldenPath.tracing.links[0].datasourceUid is required',
    ],
    [
      'a Grafana orgId is not a whole number',
      {
        tracing: {
          links: [
            {
              type: 'grafana-tempo',
              baseUrl: 'https://g',
              datasourceUid: 't',
              orgId: 1.5,
            },
          ],
        },
      },
      'Invalid goldenPath.tracing.links[0].orgId: expected a whole number, got 1.5',
    ],
    [
      'a Honeycomb region is unknown',
      {
        tracing: { links: [{ type: 'honeycomb', team: 'acme', region: 'ap' }] },
      },
      "Invalid goldenPath.tracing.links[0].region: 'ap' is not one of us, eu",
    ],
    [
      'a Honeycomb link has no team',
      { tracing: { links: [{ type: 'honeycomb' }] } },
      'goldenPath.tracing.links[0].team is required',
    ],
    [
      'a Datadog site is a URL',
      {
        tracing: {
          links: [{ type: 'datadog', site: 'https://app.datadoghq.com' }],
        },
      },
      "Invalid goldenPath.tracing.links[0].site: 'https://app.datadoghq.com' must be a Datadog site host name such as datadoghq.com or us5.datadoghq.com, without scheme or path",
    ],
    [
      'the secrets provider is unknown',
      { secrets: { provider: 'azure-key-vault' } },
      "Invalid goldenPath.secrets.provider: 'azure-key-vault' is not one of local, vault, aws-secrets-manager, gcp-secret-manager",
    ],
    [
      'the secret store kind is unknown',
      { secrets: { store: { kind: 'Vault' } } },
      "Invalid goldenPath.secrets.store.kind: 'Vault' is not one of ClusterSecretStore, SecretStore",
    ],
    [
      'the secret store name is not an object name',
      { secrets: { store: { name: 'Platform Secrets' } } },
      'Invalid goldenPath.secrets.store.name: \'Platform Secrets\' is not a valid Kubernetes object name (lowercase letters, digits, "-" and ".")',
    ],
    [
      'the secrets path pattern does not separate components',
      { secrets: { pathPattern: '{environment}/{key}' } },
      'goldenPath.secrets.pathPattern must contain {component}',
    ],
    [
      'the secrets path pattern uses an unknown placeholder',
      { secrets: { pathPattern: '{team}/{component}/{key}' } },
      'goldenPath.secrets.pathPattern uses {team}, which is not a placeholder; use {environment}, {component}, {key}',
    ],
    [
      'the GitOps tool is not supported',
      { deploy: { gitops: 'argocd' } },
      "Invalid goldenPath.deploy.gitops: 'argocd' is not one of flux",
    ],
    [
      'there are no environments',
      { deploy: { environments: [] } },
      'goldenPath.deploy.environments must list at least one environment',
    ],
    [
      'an environment name is not a DNS label',
      { deploy: { environments: ['dev', 'Prod'] } },
      "Invalid goldenPath.deploy.environments[1]: 'Prod' is not a valid environment name (lowercase letters, digits and hyphens, at most 63 characters)",
    ],
    [
      'an environment breaks the environment tag rule',
      { deploy: { environments: ['dev', 'qa', 'prod'] } },
      "Invalid goldenPath.deploy.environments[1]: 'qa' breaks the environment cost-tag rule (goldenPath.costTags.rules.environment must be one of dev, staging, prod)",
    ],
    [
      'the HPA minimum exceeds the maximum',
      { deploy: { hpa: { min: 5, max: 2 } } },
      'goldenPath.deploy.hpa.min (5) must not exceed goldenPath.deploy.hpa.max (2)',
    ],
    [
      'the HPA minimum exceeds the default maximum',
      { deploy: { hpa: { min: 12 } } },
      'goldenPath.deploy.hpa.min (12) must not exceed goldenPath.deploy.hpa.max (10)',
    ],
    [
      'the HPA minimum is zero',
      { deploy: { hpa: { min: 0 } } },
      'goldenPath.deploy.hpa.min must be 1 or more, got 0',
    ],
    [
      'the HPA maximum is not a number',
      { deploy: { hpa: { max: 'ten' } } },
      "Invalid goldenPath.deploy.hpa.max: expected a number, got 'ten'",
    ],
  ])('throws when %s', (_, goldenPath, message) => {
    expect(() => read(goldenPath)).toThrow(message);
  });

  it('allows a rule for a tag that is not required, making it optional', () => {
    const tier = read({
      costTags: { rules: { tier: ['gold', 'silver'] } },
    }).costTags.tags.find(tag => tag.name === 'tier');
    expect(tier).toEqual(
      expect.objectContaining({
        required: false,
        rule: { kind: 'oneOf', values: ['gold', 'silver'] },
      }),
    );
  });

  it('skips the environment check when the environment tag has no rule', () => {
    expect(
      read({
        costTags: { rules: { 'cost-center': '^CC-[0-9]{4}$' } },
        deploy: { environments: ['qa'] },
      }).deploy.environments,
    ).toEqual(['qa']);
  });

  it('merges config files like the rest of Backstage; null unsets a key, which takes its default', () => {
    const config = ConfigReader.fromConfigs([
      {
        context: 'app-config.yaml',
        data: { goldenPath: { deploy: { hpa: { min: 3, max: 6 } } } },
      },
      {
        context: 'app-config.local.yaml',
        data: { goldenPath: { deploy: { hpa: { max: null } } } },
      },
    ]);
    expect(readGoldenPathPolicy(config).deploy.hpa).toEqual({
      min: 3,
      max: 10,
    });
  });
});
