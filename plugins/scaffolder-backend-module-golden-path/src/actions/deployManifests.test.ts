import { createMockDirectory } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  DEFAULT_GOLDEN_PATH_POLICY,
  GoldenPathPolicy,
  readGoldenPathPolicy,
} from '@golden-path/common';
import fs from 'fs-extra';
import { join, relative } from 'node:path';
import YAML from 'yaml';
import { writeExternalSecrets } from '../manifests/externalSecret';
import { schemaProblems } from '../manifests/testing/schemaProblems';
import { createDeployManifestsAction } from './deployManifests';
import { OTEL_ENV_HEADER } from '../workspace/otelEnv';

const policy: GoldenPathPolicy = readGoldenPathPolicy(
  new ConfigReader({
    goldenPath: {
      deploy: {
        registry: 'ghcr.io/acme',
        hpa: { min: 2, max: 5 },
        autoscaling: {
          environments: { dev: { min: 1, max: 2 }, prod: { min: 3, max: 20 } },
          peakWindows: [
            {
              name: 'black-friday',
              dates: { from: '11-27', to: '11-30' },
              timezone: 'Europe/Berlin',
              environments: ['prod'],
              min: 10,
              max: 40,
            },
          ],
        },
      },
    },
  }),
);

describe('golden-path:deploy', () => {
  const mockDir = createMockDirectory();
  const workspacePath = () => mockDir.resolve('workspace');
  const action = createDeployManifestsAction({ policy });
  const context = (input: Record<string, unknown>) =>
    createMockActionContext({
      input: input as any,
      workspacePath: workspacePath(),
    });
  const run = async (input: Record<string, unknown>) => {
    const ctx = context(input);
    await action.handler(ctx);
    return ctx;
  };
  const read = (path: string) =>
    fs.readFile(join(workspacePath(), path), 'utf8');
  const readYaml = async (path: string) => YAML.parse(await read(path));
  const exists = (path: string) => fs.pathExists(join(workspacePath(), path));

  /** Every file in the workspace, by path relative to it. */
  async function workspaceFiles(
    dir = workspacePath(),
  ): Promise<Record<string, string>> {
    const files: Record<string, string> = {};
    if (!(await fs.pathExists(dir))) {
      return files;
    }
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        Object.assign(files, await workspaceFiles(path));
      } else {
        files[relative(workspacePath(), path)] = await fs.readFile(
          path,
          'utf8',
        );
      }
    }
    return files;
  }

  /** Parses every YAML file under deploy/ and returns each document, failing on any parse error or alias. */
  async function yamlDocuments(): Promise<
    Array<{ path: string; object: any }>
  > {
    const documents: Array<{ path: string; object: any }> = [];
    for (const [path, text] of Object.entries(await workspaceFiles())) {
      if (!path.startsWith('deploy/') || !path.endsWith('.yaml')) {
        continue;
      }
      for (const doc of YAML.parseAllDocuments(text)) {
        expect({ path, errors: doc.errors.map(e => e.message) }).toEqual({
          path,
          errors: [],
        });
        // Anchors and aliases are valid YAML, but hard to read and edit by hand.
        expect({ path, aliases: /^\s*(?:- )?\S+: [&*]/m.test(text) }).toEqual({
          path,
          aliases: false,
        });
        documents.push({ path, object: doc.toJS() });
      }
    }
    return documents;
  }

  const kubernetesObjects = async () =>
    (await yamlDocuments())
      .map(({ object }) => object)
      .filter(
        object => object.apiVersion !== 'kustomize.config.k8s.io/v1beta1',
      );

  const paymentsApi = {
    name: 'payments-api',
    secrets: ['DB_PASSWORD', 'STRIPE_API_KEY'],
  };

  beforeEach(() => {
    mockDir.clear();
    mockDir.setContent({
      workspace: { 'catalog-info.yaml': 'kind: Component\n' },
    });
  });

  it('documents every input and output', () => {
    const { input, output } = action.schema as any;
    for (const schema of [input, output]) {
      const undocumented = Object.entries(schema.properties)
        .filter(([, property]: [string, any]) => !property.description)
        .map(([key]) => key);
      expect(undocumented).toEqual([]);
    }
    expect(input.required).toEqual(['name']);
  });

  it('writes a base, an overlay per environment and Flux objects, every one of which parses and passes its schema', async () => {
    const ctx = await run(paymentsApi);

    const files = [
      '.github/workflows/promote.yaml',
      'deploy/base/deployment.yaml',
      'deploy/base/kustomization.yaml',
      'deploy/base/namespace.yaml',
      'deploy/base/networkpolicies.yaml',
      'deploy/base/otel.env',
      'deploy/base/pdb.yaml',
      'deploy/base/service.yaml',
      'deploy/base/serviceaccount.yaml',
      ...['dev', 'prod', 'staging'].flatMap(env => [`deploy/flux/${env}.yaml`]),
      ...['dev', 'prod', 'staging'].flatMap(env => [
        `deploy/overlays/${env}/autoscaling.yaml`,
        `deploy/overlays/${env}/external-secret.yaml`,
        `deploy/overlays/${env}/kustomization.yaml`,
      ]),
      'deploy/promote.sh',
      'deploy/release.env',
    ];
    expect(ctx.output).toHaveBeenCalledWith('files', files);
    expect(ctx.output).toHaveBeenCalledWith('environments', [
      'dev',
      'staging',
      'prod',
    ]);
    expect(Object.keys(await workspaceFiles()).sort()).toEqual(
      ['catalog-info.yaml', ...files].sort(),
    );
    expect(await read('catalog-info.yaml')).toBe('kind: Component\n');

    const objects = await kubernetesObjects();
    expect(objects.map(o => `${o.kind}/${o.metadata.name}`).sort()).toEqual(
      [
        'Deployment/payments-api',
        'ImagePolicy/payments-api',
        'ImageRepository/payments-api',
        'ImageUpdateAutomation/payments-api',
        'Namespace/payments-api',
        'NetworkPolicy/default-deny',
        'NetworkPolicy/payments-api-allow-egress',
        'NetworkPolicy/payments-api-allow-ingress',
        'PodDisruptionBudget/payments-api',
        'Service/payments-api',
        'ServiceAccount/payments-api',
        ...['dev', 'staging', 'prod'].flatMap(env => [
          'ExternalSecret/payments-api',
          'GitRepository/payments-api',
          `Kustomization/payments-api-${env}`,
          'ScaledObject/payments-api',
        ]),
      ].sort(),
    );
    expect(schemaProblems(objects)).toEqual([]);
  });

  it('loads the OTEL settings through a generated ConfigMap and mounts the declared secrets', async () => {
    await run(paymentsApi);

    expect(await readYaml('deploy/base/kustomization.yaml')).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: [
        'namespace.yaml',
        'serviceaccount.yaml',
        'deployment.yaml',
        'service.yaml',
        'pdb.yaml',
        'networkpolicies.yaml',
      ],
      configMapGenerator: [{ name: 'payments-api-otel', envs: ['otel.env'] }],
    });
    // The same header golden-path:tracing writes when it creates the file first.
    expect(await read('deploy/base/otel.env')).toBe(
      `${OTEL_ENV_HEADER.split('\n')
        .map(line => `# ${line}`)
        .join('\n')}\n`,
    );
    const deployment = await readYaml('deploy/base/deployment.yaml');
    const [container] = deployment.spec.template.spec.containers;
    expect(container.envFrom).toEqual([
      { configMapRef: { name: 'payments-api-otel' } },
    ]);
    expect(container.volumeMounts).toContainEqual({
      name: 'secrets',
      mountPath: '/var/run/secrets/app',
      readOnly: true,
    });
    expect(
      deployment.spec.template.metadata.labels['backstage.io/kubernetes-id'],
    ).toBe('payments-api');

    expect(
      await readYaml('deploy/overlays/staging/kustomization.yaml'),
    ).toMatchObject({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      namespace: 'payments-api',
      resources: ['../../base', 'autoscaling.yaml', 'external-secret.yaml'],
      images: [{ name: 'ghcr.io/acme/payments-api', newTag: 'main' }],
    });
    const externalSecret = await readYaml(
      'deploy/overlays/staging/external-secret.yaml',
    );
    expect(externalSecret.spec.target.name).toBe('payments-api-secrets');
    expect(externalSecret.spec.data).toEqual([
      {
        secretKey: 'DB_PASSWORD',
        remoteRef: { key: 'staging/payments-api/DB_PASSWORD' },
      },
      {
        secretKey: 'STRIPE_API_KEY',
        remoteRef: { key: 'staging/payments-api/STRIPE_API_KEY' },
      },
    ]);
    const [source, kustomization] = YAML.parseAllDocuments(
      await read('deploy/flux/prod.yaml'),
    ).map(d => d.toJS());
    expect(source.spec.url).toBe('https://git.example.com/payments-api.git');
    expect(kustomization.spec.path).toBe('./deploy/overlays/prod');
  });

  it('gives a worker no Service and lets nothing connect to it', async () => {
    await run({ name: 'invoice-worker', workload: 'worker' });

    const objects = await kubernetesObjects();
    expect(schemaProblems(objects)).toEqual([]);
    expect(objects.filter(o => o.kind === 'Service')).toEqual([]);
    expect(
      objects.filter(o => o.kind === 'NetworkPolicy').map(o => o.metadata.name),
    ).toEqual(['default-deny', 'invoice-worker-allow-egress']);
    expect(
      objects.some(o => o.kind === 'NetworkPolicy' && o.spec.ingress),
    ).toBe(false);
    expect(await exists('deploy/base/service.yaml')).toBe(false);
    expect(
      (await readYaml('deploy/base/kustomization.yaml')).resources,
    ).not.toContain('service.yaml');
    const deployment = objects.find(o => o.kind === 'Deployment');
    expect(deployment.metadata.labels['app.kubernetes.io/component']).toBe(
      'worker',
    );
    expect(deployment.spec.template.spec.volumes).toEqual([
      { name: 'tmp', emptyDir: {} },
    ]);
    expect(await exists('deploy/overlays/dev/external-secret.yaml')).toBe(
      false,
    );
  });

  it('removes the Service when a service becomes a worker', async () => {
    await run(paymentsApi);
    await run({ ...paymentsApi, workload: 'worker' });
    expect(await exists('deploy/base/service.yaml')).toBe(false);
    expect(
      (await readYaml('deploy/base/kustomization.yaml')).resources,
    ).not.toContain('service.yaml');
  });

  it('takes the autoscaling bounds of each environment from the policy unless the input overrides them', async () => {
    const bounds = async () =>
      Object.fromEntries(
        await Promise.all(
          ['dev', 'staging', 'prod'].map(async env => {
            const scaled = await readYaml(
              `deploy/overlays/${env}/autoscaling.yaml`,
            );
            return [
              env,
              [scaled.spec.minReplicaCount, scaled.spec.maxReplicaCount],
            ];
          }),
        ),
      );
    await run(paymentsApi);
    // prod's ceiling is its black-friday window's max.
    expect(await bounds()).toEqual({
      dev: [1, 2],
      staging: [2, 5],
      prod: [3, 40],
    });
    await run({ ...paymentsApi, hpa: { min: 3, max: 12 } });
    expect(await bounds()).toEqual({
      dev: [3, 12],
      staging: [3, 12],
      prod: [3, 40],
    });
    await run({ ...paymentsApi, hpa: { min: 1 } });
    expect(await bounds()).toEqual({
      dev: [1, 2],
      staging: [1, 5],
      prod: [1, 40],
    });
  });

  it('applies peak windows to the environments they name, as KEDA cron triggers', async () => {
    await run(paymentsApi);
    const triggers = async (env: string) =>
      (await readYaml(`deploy/overlays/${env}/autoscaling.yaml`)).spec.triggers;
    expect((await triggers('dev')).map((t: any) => t.type)).toEqual(['cpu']);
    expect(await triggers('prod')).toContainEqual({
      type: 'cron',
      name: 'peak-black-friday',
      metadata: {
        timezone: 'Europe/Berlin',
        start: '0 0 27 11 *',
        end: '0 0 1 12 *',
        desiredReplicas: '10',
      },
    });
  });

  it('writes plain HPAs with the per-environment bounds when the policy picks the hpa engine', async () => {
    const hpaPolicy = readGoldenPathPolicy(
      new ConfigReader({
        goldenPath: {
          deploy: {
            registry: 'ghcr.io/acme',
            autoscaling: {
              engine: 'hpa',
              environments: { prod: { min: 3, max: 20 } },
            },
          },
        },
      }),
    );
    await createDeployManifestsAction({ policy: hpaPolicy }).handler(
      context(paymentsApi),
    );
    const prod = await readYaml('deploy/overlays/prod/autoscaling.yaml');
    expect(prod).toMatchObject({
      kind: 'HorizontalPodAutoscaler',
      spec: { minReplicas: 3, maxReplicas: 20 },
    });
    expect(schemaProblems(await kubernetesObjects())).toEqual([]);
  });

  it('scales a worker on its NATS JetStream consumer lag', async () => {
    await run({
      name: 'invoice-worker',
      workload: 'worker',
      natsJetStream: {
        monitoringEndpoint: 'nats.nats.svc.cluster.local:8222',
        stream: 'invoice-worker-jobs',
        consumer: 'invoice-worker',
      },
    });
    const scaled = await readYaml('deploy/overlays/dev/autoscaling.yaml');
    expect(scaled.spec.triggers[1]).toEqual({
      type: 'nats-jetstream',
      name: 'jetstream-lag',
      metadata: {
        natsServerMonitoringEndpoint: 'nats.nats.svc.cluster.local:8222',
        account: '$G',
        stream: 'invoice-worker-jobs',
        consumer: 'invoice-worker',
        lagThreshold: '10',
      },
    });
    expect(schemaProblems(await kubernetesObjects())).toEqual([]);
  });

  it("points every overlay at the policy registry's image and marks the first for Flux image automation", async () => {
    await run(paymentsApi);
    const deployment = await readYaml('deploy/base/deployment.yaml');
    expect(deployment.spec.template.spec.containers[0].image).toBe(
      'ghcr.io/acme/payments-api',
    );
    expect(await read('deploy/overlays/dev/kustomization.yaml')).toContain(
      [
        'images:',
        '  - name: ghcr.io/acme/payments-api',
        '    newTag: main # {"$imagepolicy": "flux-system:payments-api:tag"}',
        '    digest: "" # {"$imagepolicy": "flux-system:payments-api:digest"}',
      ].join('\n'),
    );
    expect(await read('deploy/overlays/prod/kustomization.yaml')).not.toContain(
      '$imagepolicy',
    );
    const dev = YAML.parseAllDocuments(await read('deploy/flux/dev.yaml')).map(
      d => d.toJS(),
    );
    expect(dev.map(o => o.kind)).toEqual([
      'GitRepository',
      'Kustomization',
      'ImageRepository',
      'ImagePolicy',
      'ImageUpdateAutomation',
    ]);
    expect(dev[2].spec.image).toBe('ghcr.io/acme/payments-api');
    expect(dev[4].spec.update.path).toBe('./deploy/overlays/dev');
    expect(await read('deploy/release.env')).toContain(
      'IMAGE=ghcr.io/acme/payments-api\nENVIRONMENTS="dev staging prod"\n',
    );
    const mode = (await fs.stat(join(workspacePath(), 'deploy/promote.sh')))
      .mode;
    expect(mode & 0o111).toBe(0o111);
  });

  it('keeps the tag and digest that Flux or a promotion recorded when it runs again', async () => {
    await run(paymentsApi);
    const digest = `sha256:${'b'.repeat(64)}`;
    const path = 'deploy/overlays/dev/kustomization.yaml';
    const recorded = (await read(path))
      .replace('newTag: main', 'newTag: main-1a2b3c4-1700000000')
      .replace('digest: ""', `digest: ${digest}`);
    await fs.writeFile(join(workspacePath(), path), recorded);
    await run(paymentsApi);
    expect(await read(path)).toBe(recorded);
  });

  it('uses the pull secret of the policy for pods and for Flux image scanning', async () => {
    const withSecret = readGoldenPathPolicy(
      new ConfigReader({
        goldenPath: {
          deploy: {
            registry: 'registry.acme.io:5000/team',
            imagePullSecret: 'registry-pull',
          },
        },
      }),
    );
    await createDeployManifestsAction({ policy: withSecret }).handler(
      context(paymentsApi),
    );
    const deployment = await readYaml('deploy/base/deployment.yaml');
    expect(deployment.spec.template.spec.imagePullSecrets).toEqual([
      { name: 'registry-pull' },
    ]);
    expect(deployment.spec.template.spec.containers[0].image).toBe(
      'registry.acme.io:5000/team/payments-api',
    );
    const [, , imageRepository] = YAML.parseAllDocuments(
      await read('deploy/flux/dev.yaml'),
    ).map(d => d.toJS());
    expect(imageRepository.spec.secretRef).toEqual({ name: 'registry-pull' });
  });

  it('gives a private repository a secretRef, and says so when the clone URL is a placeholder', async () => {
    const runWatchingWarnings = async (input: Record<string, unknown>) => {
      const ctx = context(input);
      const warn = jest.spyOn(ctx.logger, 'warn');
      await action.handler(ctx);
      return warn;
    };
    const warn = await runWatchingWarnings({
      ...paymentsApi,
      gitUrl: 'https://github.com/acme/payments-api.git',
      gitPrivate: true,
    });
    const [source] = YAML.parseAllDocuments(
      await read('deploy/flux/staging.yaml'),
    ).map(d => d.toJS());
    expect(source.spec).toMatchObject({
      url: 'https://github.com/acme/payments-api.git',
      secretRef: { name: 'payments-api-git' },
    });
    expect(warn).not.toHaveBeenCalled();

    const localWarn = await runWatchingWarnings({ ...paymentsApi, gitUrl: '' });
    expect(localWarn).toHaveBeenCalledWith(
      expect.stringContaining(
        'https://git.example.com/payments-api.git): set it to this repository',
      ),
    );
  });

  it('refuses to guess an image when the policy names no registry', async () => {
    const noRegistry = createDeployManifestsAction({
      policy: DEFAULT_GOLDEN_PATH_POLICY,
    });
    await expect(noRegistry.handler(context(paymentsApi))).rejects.toThrow(
      /image.*goldenPath\.deploy\.registry is not set/,
    );
    expect(await workspaceFiles()).toEqual({
      'catalog-info.yaml': 'kind: Component\n',
    });
  });

  it.each([
    [
      { hpa: { min: 4, max: 3 } },
      'Invalid hpa.min 4: it must not exceed hpa.max (3)',
    ],
    [
      { hpa: { min: 6 } },
      'Invalid hpa.min 6: it must not exceed hpa.max (2 from goldenPath.deploy.autoscaling.environments.dev.max)',
    ],
    [
      { hpa: { min: 0 } },
      'Invalid hpa.min 0: it must be a whole number, 1 or more',
    ],
    [
      { secrets: ['db-password'] },
      'Invalid secrets[0] "db-password": it must use uppercase letters',
    ],
    [
      { secrets: ['DB_PASSWORD', 'DB_PASSWORD'] },
      'Invalid secrets[1] "DB_PASSWORD": it is declared twice',
    ],
    [{ name: 'Payments' }, 'Invalid name "Payments": it must be lowercase'],
    [
      { name: '../escape' },
      'Invalid name "../escape": it must not contain path separators',
    ],
    [
      { port: 80 },
      'Invalid port 80: it must be a whole number from 1024 to 65535',
    ],
    [
      { image: 'my image' },
      'Invalid image "my image": it must be an image repository without tag or digest',
    ],
    [
      { image: 'https://ghcr.io/acme/payments-api' },
      'Invalid image "https://ghcr.io/acme/payments-api": it must be an image repository',
    ],
    [
      { image: 'ghcr.io/acme/payments-api:1.0.0' },
      'Invalid image "ghcr.io/acme/payments-api:1.0.0": it must be an image repository without tag or digest',
    ],
    [
      {
        natsJetStream: {
          monitoringEndpoint: 'http://nats:8222',
          stream: 's',
          consumer: 'c',
        },
      },
      'Invalid natsJetStream.monitoringEndpoint "http://nats:8222": it must be host:port',
    ],
    [
      { env: { SHUTDOWN_DELAY: '0s' } },
      'Invalid env.SHUTDOWN_DELAY "0s": it must be named like an environment variable and not be',
    ],
    [
      { healthPaths: { liveness: 'healthz' } },
      'Invalid healthPaths.liveness "healthz": it must be a path starting with "/"',
    ],
    [
      { resources: { limits: { memory: 'lots' } } },
      'Invalid resources.limits.memory "lots": it must be a Kubernetes quantity',
    ],
    [
      { resources: { requests: { cpu: '1' } } },
      'Invalid resources.requests.cpu "1": it must not exceed resources.limits.cpu (500m)',
    ],
    [
      { gitUrl: 'git@github.com:acme/payments-api.git' },
      'Invalid gitUrl "git@github.com:acme/payments-api.git": it must be an http://, https:// or ssh:// URL',
    ],
  ])(
    'rejects %j, naming the field and the rule, and writes nothing',
    async (override, message) => {
      await expect(run({ ...paymentsApi, ...override })).rejects.toThrow(
        expect.objectContaining({
          name: InputError.name,
          message: expect.stringContaining(message),
        }),
      );
      expect(await workspaceFiles()).toEqual({
        'catalog-info.yaml': 'kind: Component\n',
      });
    },
  );

  it('keeps what other actions wrote into the shared files, and running again changes nothing', async () => {
    await run(paymentsApi);
    // What golden-path:cost-tags and golden-path:tracing add.
    const base = YAML.parseDocument(
      await read('deploy/base/kustomization.yaml'),
    );
    base.set('labels', [
      {
        pairs: { team: 'payments' },
        includeSelectors: false,
        includeTemplates: true,
      },
    ]);
    await fs.writeFile(
      join(workspacePath(), 'deploy/base/kustomization.yaml'),
      base.toString(),
    );
    await fs.appendFile(
      join(workspacePath(), 'deploy/base/otel.env'),
      'OTEL_SERVICE_NAME=payments-api\n',
    );
    const overlay = YAML.parseDocument(
      await read('deploy/overlays/dev/kustomization.yaml'),
    );
    overlay.set('labels', [{ pairs: { environment: 'dev' } }]);
    overlay.set('configMapGenerator', [
      {
        name: 'payments-api-otel',
        behavior: 'merge',
        literals: ['OTEL_RESOURCE_ATTRIBUTES=deployment.environment.name=dev'],
      },
    ]);
    await fs.writeFile(
      join(workspacePath(), 'deploy/overlays/dev/kustomization.yaml'),
      overlay.toString(),
    );
    const before = await workspaceFiles();

    await run(paymentsApi);

    expect(await workspaceFiles()).toEqual(before);
    expect(await readYaml('deploy/base/kustomization.yaml')).toMatchObject({
      labels: [{ pairs: { team: 'payments' } }],
      configMapGenerator: [{ name: 'payments-api-otel', envs: ['otel.env'] }],
    });
    expect(await read('deploy/base/otel.env')).toContain(
      'OTEL_SERVICE_NAME=payments-api\n',
    );
    expect(await readYaml('deploy/overlays/dev/kustomization.yaml')).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      namespace: 'payments-api',
      resources: ['../../base', 'autoscaling.yaml', 'external-secret.yaml'],
      images: [
        { name: 'ghcr.io/acme/payments-api', newTag: 'main', digest: '' },
      ],
      replacements: expect.any(Array),
      labels: [{ pairs: { environment: 'dev' } }],
      configMapGenerator: [
        {
          name: 'payments-api-otel',
          behavior: 'merge',
          literals: [
            'OTEL_RESOURCE_ATTRIBUTES=deployment.environment.name=dev',
          ],
        },
      ],
    });
  });

  it('fits in when other actions wrote their keys first', async () => {
    mockDir.setContent({
      'workspace/deploy/base/kustomization.yaml': YAML.stringify({
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        labels: [{ pairs: { team: 'payments' }, includeSelectors: false }],
      }),
      'workspace/deploy/base/otel.env': 'OTEL_SERVICE_NAME=payments-api\n',
    });
    await run(paymentsApi);
    expect(await read('deploy/base/otel.env')).toBe(
      'OTEL_SERVICE_NAME=payments-api\n',
    );
    expect(await readYaml('deploy/base/kustomization.yaml')).toMatchObject({
      labels: [{ pairs: { team: 'payments' }, includeSelectors: false }],
      resources: expect.arrayContaining(['deployment.yaml']),
      configMapGenerator: [{ name: 'payments-api-otel', envs: ['otel.env'] }],
    });
  });

  it('writes the same ExternalSecret file as the secrets action, whichever runs last', async () => {
    const bySecretsAction = async () => {
      await writeExternalSecrets(workspacePath(), {
        name: 'payments-api',
        secrets: paymentsApi.secrets,
        environments: ['dev', 'staging', 'prod'],
        policy,
      });
      return workspaceFiles();
    };
    await run(paymentsApi);
    const afterDeploy = await workspaceFiles();
    expect(await bySecretsAction()).toEqual(afterDeploy);

    mockDir.clear();
    mockDir.setContent({
      workspace: { 'catalog-info.yaml': 'kind: Component\n' },
    });
    const secretsFirst = await bySecretsAction();
    await run(paymentsApi);
    expect(await read('deploy/overlays/dev/external-secret.yaml')).toBe(
      secretsFirst['deploy/overlays/dev/external-secret.yaml'],
    );
    expect(await workspaceFiles()).toEqual(afterDeploy);
  });

  it('writes the same files in a dry run, since the workspace is what a dry run shows', async () => {
    await run({
      ...paymentsApi,
      gitUrl: 'https://github.com/acme/payments-api.git',
    });
    const real = await workspaceFiles();
    mockDir.clear();
    mockDir.setContent({
      workspace: { 'catalog-info.yaml': 'kind: Component\n' },
    });

    const ctx = {
      ...context({
        ...paymentsApi,
        gitUrl: 'https://github.com/acme/payments-api.git',
      }),
      isDryRun: true,
    };
    await action.handler(ctx);

    expect(await workspaceFiles()).toEqual(real);
    expect(ctx.output).toHaveBeenCalledWith(
      'files',
      expect.arrayContaining(['deploy/base/deployment.yaml']),
    );
    expect(real['deploy/flux/dev.yaml']).toContain(
      'url: https://github.com/acme/payments-api.git',
    );
    expect(real['deploy/flux/dev.yaml']).not.toContain('placeholder');
  });
});

describe('golden-path:deploy env and egress', () => {
  const mockDir = createMockDirectory();
  it('passes plain env to the container and opens egress only to the named destinations', async () => {
    mockDir.clear();
    mockDir.setContent({
      workspace: { 'catalog-info.yaml': 'kind: Component\n' },
    });
    const action = createDeployManifestsAction({
      policy,
    });
    await action.handler(
      createMockActionContext({
        workspacePath: mockDir.resolve('workspace'),
        input: {
          name: 'invoice-worker',
          workload: 'worker',
          env: { NATS_URL: 'nats://nats.nats:4222' },
          allowEgressTo: [{ namespace: 'nats', port: 4222 }],
        },
      }) as any,
    );
    const deployment = YAML.parse(
      fs.readFileSync(
        mockDir.resolve('workspace/deploy/base/deployment.yaml'),
        'utf8',
      ),
    );
    expect(deployment.spec.template.spec.containers[0].env).toContainEqual({
      name: 'NATS_URL',
      value: 'nats://nats.nats:4222',
    });
    const policies = YAML.parseAllDocuments(
      fs.readFileSync(
        mockDir.resolve('workspace/deploy/base/networkpolicies.yaml'),
        'utf8',
      ),
    ).map(d => d.toJS());
    const egress = policies.find(
      p => p.metadata.name === 'invoice-worker-allow-egress',
    ).spec.egress;
    expect(egress).toContainEqual({
      to: [
        {
          namespaceSelector: {
            matchLabels: { 'kubernetes.io/metadata.name': 'nats' },
          },
        },
      ],
      ports: [{ protocol: 'TCP', port: 4222 }],
    });
  });

  it.each([
    [
      { env: { OTEL_SERVICE_NAME: 'x' } },
      'Invalid env.OTEL_SERVICE_NAME "x": it must be named like an environment variable and not be PORT, SECRETS_DIR, SHUTDOWN_DELAY, SERVICE_VERSION, K8S_* or OTEL_*',
    ],
    [
      { allowEgressTo: [{ namespace: 'Bad NS', port: 1 }] },
      'Invalid allowEgressTo[0].namespace "Bad NS": it must be a Kubernetes namespace name',
    ],
  ])('rejects %j', async (extra, message) => {
    mockDir.clear();
    mockDir.setContent({ workspace: {} });
    const action = createDeployManifestsAction({
      policy,
    });
    await expect(
      action.handler(
        createMockActionContext({
          workspacePath: mockDir.resolve('workspace'),
          input: { name: 'invoice-worker', workload: 'worker', ...extra },
        }) as any,
      ),
    ).rejects.toThrow(message);
  });
});
