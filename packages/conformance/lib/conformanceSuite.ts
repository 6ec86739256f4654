// The conformance run every golden-path template must pass. Rendering, the static checks and build-run-span come
// from template-test (the command template authors run), with the commands each template declares in its
// metadata.templateTest; what is checked here is what needs the portal or a cluster: the HTTP API, registration,
// publishing, the secret store, hostile inputs, server-side apply and promotion.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import YAML from 'yaml';
import {
  getJson,
  runTask,
  TaskRejected,
} from '../../test-utils/src/portalApi.ts';
import { eventually } from '../../test-utils/src/backendProcess.ts';
import {
  generate,
  startPortal,
  type Portal,
} from '../../test-utils/src/generate.ts';
import { startControlPlane, type ControlPlane } from './controlPlane.ts';
import {
  backstageReaderToken,
  createRestrictedNamespace,
  fluxObjects,
  installCrdsFor,
  jsonOf,
  kubernetesPluginConfig,
  serverSideApply,
  serverSideDiff,
} from './kubeApply.ts';
import {
  actionlintBinary,
  buildAndValidateOverlays,
  kustomizeBinary,
  kustomizeBuild,
  type K8sObject,
} from '../../template-test/src/checks/manifests.ts';
import { repoRoot } from '../../test-utils/src/backendProcess.ts';
import { repoFile } from '../../test-utils/src/processes.ts';
import { sampleServiceValues } from '../../test-utils/src/sampleValues.ts';
import {
  templateTest,
  type TemplateTestReport,
} from '../../template-test/src/index.ts';
import { scanForSecrets } from '../../template-test/src/checks/secretScan.ts';
import { supplyChainChecks } from './checks/supplyChain.ts';
import { chaosChecks } from './checks/chaos.ts';

export type TemplateSpec = {
  template: string;
  workload: 'service' | 'worker';
  /** Hosts the opted-in network-delay experiments are toward: the OTLP collector and the service's dependencies. */
  chaosTargets: string[];
  /** Files the generated repository must contain besides the shared ones. */
  languageFiles: string[];
};

/** What app-config.yaml's goldenPath.deploy asks for, which every template must deliver. */
const REGISTRY = 'ghcr.io/acme';
const AUTOSCALING: Record<
  string,
  { min: number; ceiling: number; peaks: Record<string, string> }
> = {
  dev: { min: 1, ceiling: 2, peaks: {} },
  staging: { min: 2, ceiling: 30, peaks: { 'peak-month-end': '4' } },
  prod: {
    min: 3,
    ceiling: 40,
    peaks: { 'peak-black-friday': '10', 'peak-month-end': '4' },
  },
};

const deploymentOf = (objects: K8sObject[]) =>
  objects.find(o => o.kind === 'Deployment')!;
const envValue = (deployment: K8sObject, name: string) =>
  deployment.spec.template.spec.containers[0].env.find(
    (e: any) => e.name === name,
  )?.value;

const { costTags } = sampleServiceValues();

export function conformanceSuite(spec: TemplateSpec) {
  const name = `sample-${spec.template}`;
  const sample = {
    name,
    description: `Conformance sample for ${spec.template}`,
    ...sampleServiceValues(),
    lifecycle: 'experimental',
    secrets: ['DB_PASSWORD', 'STRIPE_API_KEY'],
    publishTarget: 'local',
    chaos: true,
  };
  const seededValue = `s3cr3t-${randomBytes(8).toString('hex')}`;

  describe(`${spec.template} golden path`, () => {
    let portal: Portal;
    let repoDir: string;
    let taskMessages: string[];
    // One control plane per environment, as in production; the portal's Kubernetes plugin knows all three.
    const environments = ['dev', 'staging', 'prod'];
    const clusters: Record<string, ControlPlane> = {};

    before(async () => {
      await Promise.all(
        environments.map(async environment => {
          clusters[environment] = await startControlPlane({
            workloads: true,
            nodes: 2,
          });
        }),
      );
      portal = await startPortal([spec.template], {
        kubernetes: kubernetesPluginConfig(
          environments.map(name => ({
            name,
            cluster: clusters[name],
            token: backstageReaderToken(clusters[name]),
          })),
        ),
      });
      ({ repoDir, messages: taskMessages } = await generate(
        portal,
        spec.template,
        sample,
        // As the SecretValues field sends them: one value for every environment, or one per environment.
        {
          DB_PASSWORD: seededValue,
          'STRIPE_API_KEY@dev': `${seededValue}-dev`,
          'STRIPE_API_KEY@staging': `${seededValue}-staging`,
          'STRIPE_API_KEY@prod': `${seededValue}-prod`,
        },
      ));
    });
    after(async () => {
      await portal?.backend.stop();
      await Promise.all(Object.values(clusters).map(c => c.stop()));
    });

    it('generates the repository with catalog metadata from the form and the policy', () => {
      for (const file of [
        ...spec.languageFiles,
        'Dockerfile',
        '.github/workflows/ci.yaml',
        '.github/CODEOWNERS',
        '.gitleaks.toml',
        '.secrets.example/DB_PASSWORD',
        'deploy/base/kustomization.yaml',
        'deploy/base/otel.env',
        'deploy/flux/prod.yaml',
        'infra/cost-tags.auto.tfvars.json',
      ]) {
        assert.ok(existsSync(join(repoDir, file)), `${file} is missing`);
      }
      assert.match(
        repoFile(repoDir, '.github/CODEOWNERS'),
        /^\*\s+@acme\/team-payments$/m,
      );
      const entity = YAML.parse(repoFile(repoDir, 'catalog-info.yaml'));
      assert.deepEqual(
        {
          owner: entity.spec.owner,
          system: entity.spec.system,
          lifecycle: entity.spec.lifecycle,
          type: entity.spec.type,
        },
        {
          owner: sample.owner,
          system: sample.system,
          lifecycle: 'experimental',
          type: spec.workload,
        },
      );
      assert.deepEqual(entity.metadata.labels, {
        'golden-path.io/team': 'team-payments',
        'golden-path.io/cost-center': 'CC-1001',
        'golden-path.io/environment': 'dev',
        'golden-path.io/product': 'checkout',
      });
      const annotations = entity.metadata.annotations;
      assert.equal(
        annotations['backstage.io/source-template'],
        `template:default/${spec.template}`,
      );
      assert.equal(annotations['backstage.io/template-version'], '1.0.0');
      assert.equal(annotations['golden-path.io/otel-service-name'], name);
      assert.equal(
        annotations['golden-path.io/secrets'],
        'DB_PASSWORD,STRIPE_API_KEY',
      );
    });

    it('registers the new component in the catalog under its owner', async () => {
      // catalog:register adds a location; the catalog processes it moments later.
      const entity = await eventually(`${name} in the catalog`, () =>
        getJson(
          `${portal.backend.baseUrl}/api/catalog/entities/by-name/component/default/${name}`,
          portal.token,
        ).catch(() => undefined),
      );
      const owners = entity.relations
        .filter((r: any) => r.type === 'ownedBy')
        .map((r: any) => r.targetRef);
      assert.deepEqual(owners, [sample.owner]);
    });

    it("publishes a clean working tree, so a push to main works and updates the catalog's copy", async () => {
      const published = join(portal.dataDir, 'repos', name);
      const git = (dir: string, ...args: string[]) =>
        execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' });
      assert.equal(git(published, 'status', '--porcelain'), '');

      const clone = join(mkdtempSync(join(tmpdir(), 'gp-push-')), name);
      execFileSync('git', ['clone', '--quiet', published, clone]);
      const entityFile = join(clone, 'catalog-info.yaml');
      const entity = YAML.parse(readFileSync(entityFile, 'utf8'));
      const description = `Changed by a push ${randomBytes(4).toString('hex')}`;
      entity.metadata.description = description;
      writeFileSync(entityFile, YAML.stringify(entity));
      git(
        clone,
        '-c',
        'user.name=Dev',
        '-c',
        'user.email=dev@example.com',
        'commit',
        '--quiet',
        '-am',
        'Describe it better',
      );
      git(clone, 'push', '--quiet', 'origin', 'main');

      const entityRef = `component:default/${name}`;
      await eventually(
        `the pushed description of ${name} in the catalog`,
        async () => {
          await fetch(`${portal.backend.baseUrl}/api/catalog/refresh`, {
            method: 'POST',
            headers: {
              Authorization: `Bearer ${portal.token}`,
              'Content-Type': 'application/json',
            },
            body: JSON.stringify({ entityRef }),
          });
          const current = await getJson(
            `${portal.backend.baseUrl}/api/catalog/entities/by-name/component/default/${name}`,
            portal.token,
          ).catch(() => undefined);
          return current?.metadata.description === description
            ? current
            : undefined;
        },
      );
    });

    describe('template-test: render, static checks, build, test and a traced run', () => {
      let report: TemplateTestReport;
      before(async () => {
        const appConfig = YAML.parse(
          readFileSync(join(repoRoot, 'app-config.yaml'), 'utf8'),
        );
        report = await templateTest({
          template: join(repoRoot, 'templates', spec.template),
          values: sample,
          secrets: {
            DB_PASSWORD: seededValue,
            'STRIPE_API_KEY@dev': `${seededValue}-dev`,
          },
          // The portal's policy, with the GitHub organisation the portal above is given.
          config: {
            goldenPath: { ...appConfig.goldenPath, github: { org: 'acme' } },
          },
          engineOptions: {
            modules: ['@backstage/plugin-scaffolder-backend-module-github'],
          },
          build: true,
        });
      });
      for (const check of [
        'template',
        'parameters',
        'actions',
        'steps',
        'catalog-info',
        'cost-tags',
        'tracing',
        'manifests',
        'secret-values',
        'secret-scan',
        'build',
        'run',
      ]) {
        it(`passes ${check}`, () => {
          const results = report.results.filter(r => r.check === check);
          assert.ok(results.length > 0, `no ${check} result`);
          // Steps skipped by their `if` (GitHub publishing) are expected; every other check must apply and pass.
          const mayBeSkipped = check === 'steps' || check === 'actions';
          assert.deepEqual(
            results
              .filter(
                r =>
                  r.verdict === 'fail' ||
                  (r.verdict === 'skip' && !mayBeSkipped),
              )
              .map(r => `${r.verdict} ${r.file ?? ''}: ${r.message}`),
            [],
          );
        });
      }
    });

    it('generates manifests that build with kustomize and validate against their schemas', () => {
      const built = buildAndValidateOverlays(repoDir).overlays;
      assert.deepEqual(Object.keys(built).sort(), ['dev', 'prod', 'staging']);
      for (const [environment, objects] of Object.entries(built)) {
        const kinds = objects.map(o => o.kind);
        for (const kind of [
          'Deployment',
          'ScaledObject',
          'PodDisruptionBudget',
          'NetworkPolicy',
          'ServiceAccount',
          'ExternalSecret',
        ]) {
          assert.ok(
            kinds.includes(kind),
            `${environment}: no ${kind} in ${kinds}`,
          );
        }
        assert.equal(
          kinds.includes('Service'),
          spec.workload === 'service',
          `${environment}: Service present for a ${spec.workload}`,
        );
        const deployment = objects.find(o => o.kind === 'Deployment')!;
        const podLabels = deployment.spec.template.metadata.labels;
        assert.deepEqual(
          [podLabels.team, podLabels['cost-center'], podLabels.env],
          ['team-payments', 'CC-1001', environment],
        );
        const container = deployment.spec.template.spec.containers[0];
        assert.ok(
          container.livenessProbe &&
            container.readinessProbe &&
            container.resources?.limits,
          'probes and limits',
        );
        assert.equal(
          container.image,
          `${REGISTRY}/${name}:main`,
          `${environment}: image`,
        );
        assert.ok(
          container.lifecycle?.preStop?.sleep?.seconds > 0,
          `${environment}: no preStop sleep`,
        );
        assert.ok(
          objects.some(
            o =>
              o.kind === 'NetworkPolicy' &&
              Object.keys(o.spec.podSelector ?? {}).length === 0,
          ),
          `${environment}: no default-deny NetworkPolicy`,
        );
        const externalSecret = objects.find(o => o.kind === 'ExternalSecret')!;
        assert.deepEqual(
          externalSecret.spec.data.map((d: any) => d.remoteRef.key),
          [
            `${environment}/${name}/DB_PASSWORD`,
            `${environment}/${name}/STRIPE_API_KEY`,
          ],
        );
      }
    });

    it('scales every environment within its policy bounds, raised in its peak windows, with KEDA', () => {
      const { overlays } = buildAndValidateOverlays(repoDir);
      for (const [environment, expected] of Object.entries(AUTOSCALING)) {
        const scaled = overlays[environment].find(
          o => o.kind === 'ScaledObject',
        )!;
        assert.deepEqual(
          [scaled.spec.minReplicaCount, scaled.spec.maxReplicaCount],
          [expected.min, expected.ceiling],
          `${environment}: replica bounds`,
        );
        const triggers = scaled.spec.triggers;
        assert.deepEqual(
          Object.fromEntries(
            triggers
              .filter((t: any) => t.type === 'cron')
              .map((t: any) => [t.name, t.metadata.desiredReplicas]),
          ),
          expected.peaks,
          `${environment}: peak windows`,
        );
        assert.ok(triggers.some((t: any) => t.type === 'cpu'));
        assert.equal(
          triggers.some((t: any) => t.type === 'nats-jetstream'),
          spec.workload === 'worker',
          `${environment}: JetStream lag trigger for a worker only`,
        );
        const behavior =
          scaled.spec.advanced.horizontalPodAutoscalerConfig.behavior;
        assert.equal(behavior.scaleUp.stabilizationWindowSeconds, 0);
        assert.ok(behavior.scaleDown.stabilizationWindowSeconds >= 300);
        assert.ok(
          !overlays[environment].some(
            o => o.kind === 'HorizontalPodAutoscaler',
          ),
          `${environment}: an HPA next to the ScaledObject would fight it`,
        );
      }
    });

    it('records each build in the first environment the way Flux does, and the promotion step moves it to the next', () => {
      const clone = join(mkdtempSync(join(tmpdir(), 'gp-promote-')), name);
      cpSync(repoDir, clone, { recursive: true });
      const { flux } = buildAndValidateOverlays(clone);
      assert.deepEqual(
        flux.dev.map(o => o.kind),
        [
          'GitRepository',
          'Kustomization',
          'ImageRepository',
          'ImagePolicy',
          'ImageUpdateAutomation',
        ],
      );
      // Local publishing: the clone URL is unknown, and the task said so.
      assert.ok(
        taskMessages.some(m =>
          m.includes('is a placeholder (https://git.example.com/'),
        ),
        'the task did not say that the GitRepository URL must be set',
      );

      // What Flux's ImageUpdateAutomation does with a new build: rewrite the fields that carry its setter markers.
      const tag = 'main-1a2b3c4-1764374400';
      const digest = `sha256:${randomBytes(32).toString('hex')}`;
      const devKustomization = join(
        clone,
        'deploy/overlays/dev/kustomization.yaml',
      );
      const marked = readFileSync(devKustomization, 'utf8')
        .replace(
          /newTag: \S+( # \{"\$imagepolicy": "flux-system:[^"]+:tag"\})/,
          `newTag: ${tag}$1`,
        )
        .replace(
          /digest: \S+( # \{"\$imagepolicy": "flux-system:[^"]+:digest"\})/,
          `digest: ${digest}$1`,
        );
      assert.notEqual(marked, readFileSync(devKustomization, 'utf8'));
      writeFileSync(devKustomization, marked);
      const reference = `${REGISTRY}/${name}:${tag}@${digest}`;
      const dev = deploymentOf(
        kustomizeBuild(join(clone, 'deploy/overlays/dev')),
      );
      assert.equal(dev.spec.template.spec.containers[0].image, reference);
      assert.equal(envValue(dev, 'SERVICE_VERSION'), tag);

      // The command the promote workflow runs.
      const promote = (from: string) =>
        spawnSync('sh', ['deploy/promote.sh', from], {
          cwd: clone,
          encoding: 'utf8',
          env: { ...process.env, KUSTOMIZE: kustomizeBinary },
        });
      const first = promote('dev');
      assert.equal(first.status, 0, first.stderr);
      assert.equal(first.stdout.trim(), 'staging');
      const staging = deploymentOf(
        kustomizeBuild(join(clone, 'deploy/overlays/staging')),
      );
      assert.equal(staging.spec.template.spec.containers[0].image, reference);
      assert.equal(envValue(staging, 'SERVICE_VERSION'), tag);
      const prod = deploymentOf(
        kustomizeBuild(join(clone, 'deploy/overlays/prod')),
      );
      assert.equal(
        prod.spec.template.spec.containers[0].image,
        `${REGISTRY}/${name}:main`,
        'prod changes only when staging is promoted',
      );
      assert.equal(
        promote('dev').stdout,
        '',
        'a second promotion changes nothing',
      );
      assert.equal(promote('staging').stdout.trim(), 'prod');
      assert.equal(promote('prod').stdout, '');
      assert.equal(promote('qa').status, 2);
      // Everything else in the overlays still builds and validates.
      buildAndValidateOverlays(clone);
    });

    supplyChainChecks(() => repoDir);
    chaosChecks(() => repoDir, spec.chaosTargets);

    it('generates GitHub workflows that pass actionlint', () => {
      const workflows = readdirSync(join(repoDir, '.github/workflows')).sort();
      assert.deepEqual(workflows, ['ci.yaml', 'promote.yaml']);
      const result = spawnSync(actionlintBinary, ['-no-color'], {
        cwd: repoDir,
        encoding: 'utf8',
      });
      assert.equal(
        result.error,
        undefined,
        `${actionlintBinary}: ${result.error}`,
      );
      assert.equal(result.status, 0, result.stdout + result.stderr);
      // CI pushes the image the overlays deploy.
      assert.match(
        repoFile(repoDir, 'deploy/release.env'),
        new RegExp(`^IMAGE=${REGISTRY}/${name}$`, 'm'),
      );
    });

    describe('on a real Kubernetes API server per environment (etcd, kube-apiserver, controllers, kwok nodes)', () => {
      let overlays: Record<string, K8sObject[]>;
      const namespaces: Record<string, string> = {};

      before(() => {
        overlays = buildAndValidateOverlays(repoDir).overlays;
      });

      for (const environment of environments) {
        it(`applies the ${environment} overlay server-side under PodSecurity restricted: no warning, Available, PDB allows a disruption, re-apply changes nothing`, async () => {
          const cluster = clusters[environment];
          const objects = overlays[environment];
          const flux = fluxObjects(repoDir, environment);
          installCrdsFor(cluster, [...objects, ...flux]);
          createRestrictedNamespace(cluster, 'flux-system');
          const kustomization = flux.find(o => o.kind === 'Kustomization')!;
          const namespace: string = kustomization.spec.targetNamespace;
          assert.ok(
            namespace,
            `${environment}: Flux Kustomization has a targetNamespace`,
          );
          namespaces[environment] = namespace;
          createRestrictedNamespace(cluster, namespace);

          assert.deepEqual(
            serverSideApply(cluster, objects, namespace, { dryRun: true }),
            [],
            'server-side dry-run warnings',
          );
          assert.deepEqual(serverSideApply(cluster, objects, namespace), []);
          assert.deepEqual(
            serverSideApply(cluster, flux, 'flux-system'),
            [],
            'Flux objects: warnings',
          );

          const deployment = objects.find(o => o.kind === 'Deployment')!;
          cluster.kubectl([
            'wait',
            `--namespace=${namespace}`,
            '--for=condition=Available',
            '--timeout=120s',
            `deployment/${deployment.metadata.name}`,
          ]);
          const pdb = objects.find(o => o.kind === 'PodDisruptionBudget')!;
          let pdbStatus: any;
          await eventually(
            `${environment}: PodDisruptionBudget allows a disruption`,
            async () => {
              pdbStatus = jsonOf(cluster, [
                'pdb',
                pdb.metadata.name,
                `--namespace=${namespace}`,
              ]).status;
              return pdbStatus?.disruptionsAllowed >= 1 ? true : undefined;
            },
            90_000,
          ).catch(error => {
            throw new Error(
              `${error}; last status ${JSON.stringify(pdbStatus)}`,
            );
          });

          // Flux re-applies on every interval: the second apply must be a no-op without field-manager conflicts.
          assert.deepEqual(serverSideApply(cluster, objects, namespace), []);
          assert.equal(serverSideDiff(cluster, objects, namespace), '');
        });
      }

      it('shows in the portal what runs in each environment, a label someone removed in prod, and "not deployed" once the workload is gone', async () => {
        const runtime = async () => {
          const body = await getJson(
            `${portal.backend.baseUrl}/api/service-insights/runtime?ref=component:default/${name}`,
            portal.token,
          );
          return Object.fromEntries(
            body.items[0].environments.map((e: any) => [e.environment, e]),
          );
        };
        // The autoscaler may still be bringing replicas up to its minimum: degraded until they are ready.
        let live: Record<string, any> = {};
        await eventually(
          'every environment running with no problem',
          async () => {
            live = await runtime();
            return environments.every(
              e => live[e].state === 'running' && live[e].problems.length === 0,
            )
              ? true
              : undefined;
          },
          90_000,
        ).catch(error => {
          throw new Error(`${error}; last answer ${JSON.stringify(live)}`);
        });
        for (const environment of environments) {
          assert.ok(live[environment].readyReplicas >= 1, environment);
        }

        const prod = clusters.prod;
        prod.kubectl([
          'label',
          `--namespace=${namespaces.prod}`,
          `deployment/${name}`,
          'cost-center-',
        ]);
        const drifted = await runtime();
        assert.deepEqual(
          drifted.prod.problems.map((p: any) => p.message),
          [
            `prod Deployment ${name} lacks label cost-center (the catalog says CC-1001)`,
          ],
        );
        assert.deepEqual(drifted.staging.problems, []);

        prod.kubectl([
          'delete',
          `--namespace=${namespaces.prod}`,
          `deployment/${name}`,
          '--wait=true',
        ]);
        const gone = await runtime();
        assert.equal(gone.prod.state, 'not-deployed');
        assert.deepEqual(
          gone.prod.problems.map((p: any) => p.message),
          ['not deployed in prod'],
        );
        assert.equal(gone.dev.state, 'running');
      });
    });

    it('commits no secret: every declared secret is seeded for every environment, only in the secret store', async () => {
      assert.deepEqual(await scanForSecrets(repoDir), []);
      for (const environment of ['dev', 'staging', 'prod']) {
        for (const [secret, value] of [
          ['DB_PASSWORD', seededValue],
          ['STRIPE_API_KEY', `${seededValue}-${environment}`],
        ]) {
          const stored = join(
            portal.dataDir,
            'secrets',
            environment,
            name,
            secret,
          );
          assert.ok(
            existsSync(stored),
            `${secret} was not stored for ${environment}; the task said:\n${taskMessages
              .filter(m => /seed|secret/i.test(m))
              .join('\n')}`,
          );
          assert.equal(readFileSync(stored, 'utf8'), value);
        }
      }
      const files = readdirSync(repoDir, {
        recursive: true,
        withFileTypes: true,
      })
        .filter(e => e.isFile())
        .map(e => join(e.parentPath, e.name));
      for (const file of files) {
        assert.ok(
          !readFileSync(file, 'latin1').includes(seededValue),
          `${file} holds the secret value`,
        );
      }
      assert.ok(
        !taskMessages.some(m => m.includes(seededValue)),
        'the secret value reached the task log',
      );
    });

    it('has a secret scanner that does find a planted token', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'gp-planted-'));
      mkdirSync(join(dir, 'config'));
      writeFileSync(
        join(dir, 'config/creds.env'),
        `GITHUB_TOKEN=ghp_${'wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx'}\n`,
      );
      assert.notDeepEqual(await scanForSecrets(dir), []);
    });

    describe('hostile input', () => {
      const attempt = async (
        values: Record<string, unknown>,
        secrets?: Record<string, string>,
      ) => {
        try {
          const task = await runTask(
            portal.backend.baseUrl,
            portal.token,
            `template:default/${spec.template}`,
            { ...sample, ...values },
            secrets,
          );
          return { status: task.status, text: task.messages.join('\n') };
        } catch (error) {
          if (error instanceof TaskRejected)
            return { status: `rejected ${error.status}`, text: error.body };
          throw error;
        }
      };
      const published = () => readdirSync(join(portal.dataDir, 'repos')).sort();

      for (const [what, values, expected, secrets] of [
        ['a name with ..', { name: '../escape' }, /name/],
        ['a name with /', { name: 'team/api' }, /name/],
        ['an uppercase name', { name: 'PaymentsApi' }, /name/],
        ['a name with spaces', { name: 'payments api' }, /name/],
        ['a 64-character name', { name: `a${'b'.repeat(63)}` }, /name/],
        [
          'a multi-line description with YAML',
          { name: 'yaml-desc', description: 'ok\n---\nkind: Secret' },
          /description/,
        ],
        [
          'a cost-center breaking the policy',
          {
            name: 'bad-tags',
            costTags: { ...costTags, 'cost-center': '1234' },
          },
          /costTags\.cost-center "1234" must match \^CC-\[0-9\]\{4\}\$/,
        ],
        [
          'a secret name that is not env-var-safe',
          { name: 'bad-secret', secrets: ['db-password'] },
          /secrets/,
        ],
        [
          'an owner that smuggles a CODEOWNERS line',
          {
            name: 'bad-owner',
            owner: 'group:default/team-payments\n* @mallory',
          },
          /Invalid spec\.owner in catalog-info\.yaml .*must be an entity reference/,
        ],
        [
          'a secret value with a line break',
          { name: 'bad-value' },
          /secrets.*DB_PASSWORD@staging.* does not match pattern/,
          { 'DB_PASSWORD@staging': 'one\ntwo' },
        ],
        [
          'a 1 MB secret value',
          { name: 'huge-value' },
          /secrets\.STRIPE_API_KEY does not meet maximum length of 65536/,
          { STRIPE_API_KEY: 'x'.repeat(1024 * 1024) },
        ],
      ] as const) {
        it(`refuses ${what} and publishes nothing`, async () => {
          const before = published();
          const secretsDir = join(portal.dataDir, 'secrets');
          const storedBefore = existsSync(secretsDir)
            ? readdirSync(secretsDir, { recursive: true }).sort()
            : [];
          const result = await attempt(values, secrets);
          assert.notEqual(result.status, 'completed');
          assert.match(result.text, expected);
          assert.deepEqual(published(), before);
          assert.deepEqual(
            existsSync(secretsDir)
              ? readdirSync(secretsDir, { recursive: true }).sort()
              : [],
            storedBefore,
          );
        });
      }

      it('keeps template syntax in free text as plain text', async () => {
        const description =
          'Uses ${{ secrets.x }} and {{ values.name }} literally';
        const { repoDir: dir } = await generate(portal, spec.template, {
          ...sample,
          name: `literal-${spec.template}`,
          description,
        });
        assert.equal(
          YAML.parse(repoFile(dir, 'catalog-info.yaml')).metadata.description,
          description,
        );
      });
    });
  });
}
