// The conformance run every golden-path template must pass. A template supplies only what is language-specific:
// how to build and test the generated repository and how to run it so it emits a span; the rest (catalog
// metadata, registration, tracing assertions, manifests, secrets hygiene, hostile inputs) is checked the same way.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
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
} from '../../backend/integration/lib/portalApi.ts';
import { eventually } from '../../backend/integration/lib/backendProcess.ts';
import { generate, startPortal, type Portal } from './generate.ts';
import { buildAndValidateDeploy } from './manifests.ts';
import { startOtlpReceiver, type OtlpReceiver } from './otlpReceiver.ts';
import { readEnvFile, repoFile } from './processes.ts';
import { scanForSecrets } from './secretScan.ts';

/** OTLP span kinds. */
export const SPAN_KIND = { SERVER: 2, CONSUMER: 5 } as const;

export type TracedRun = {
  /** The trace context the service was given (traceparent header or message header). */
  traceId: string;
  parentSpanId: string;
  /** Exit code after SIGTERM, and how long the shutdown took. */
  exitCode: number | null;
  shutdownMs: number;
  /** Everything the process printed, to check no secret value was logged. */
  output: string;
};

export type TemplateSpec = {
  template: string;
  workload: 'service' | 'worker';
  /** Files the generated repository must contain besides the shared ones. */
  languageFiles: string[];
  /** Go vet/test, mvnw verify, npm test...: throws on failure. */
  buildAndTest(repoDir: string): void;
  /**
   * Starts the built service with `env` (its generated OTEL_* settings, pointed at the test's receiver, plus
   * SECRETS_DIR), makes it handle one unit of work carrying a fresh trace context, then sends SIGTERM.
   */
  runTraced(repoDir: string, env: Record<string, string>): Promise<TracedRun>;
  expectedSpanKind: number;
};

const costTags = {
  team: 'team-payments',
  'cost-center': 'CC-1001',
  environment: 'dev',
  product: 'checkout',
};

export function conformanceSuite(spec: TemplateSpec) {
  const name = `sample-${spec.template}`;
  const sample = {
    name,
    description: `Conformance sample for ${spec.template}`,
    owner: 'group:default/team-payments',
    system: 'system:default/checkout',
    lifecycle: 'experimental',
    costTags,
    secrets: ['DB_PASSWORD', 'STRIPE_API_KEY'],
    publishTarget: 'local',
  };
  const seededValue = `s3cr3t-${randomBytes(8).toString('hex')}`;

  describe(`${spec.template} golden path`, () => {
    let portal: Portal;
    let repoDir: string;
    let taskMessages: string[];

    before(async () => {
      portal = await startPortal([spec.template]);
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
    after(async () => portal?.backend.stop());

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

    it('builds and passes its own tests with the real toolchain', () => {
      spec.buildAndTest(repoDir);
    });

    describe('the running service', () => {
      let receiver: OtlpReceiver;
      before(async () => {
        receiver = await startOtlpReceiver();
      });
      after(() => receiver?.close());

      it('continues the incoming trace, exports it with service.name and the cost tags, and exits 0 on SIGTERM', async () => {
        const secretsDir = mkdtempSync(join(tmpdir(), 'gp-secrets-'));
        writeFileSync(join(secretsDir, 'DB_PASSWORD'), 'local-only-value\n');
        const env = {
          ...readEnvFile(join(repoDir, 'deploy/base/otel.env')),
          OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
          SECRETS_DIR: secretsDir,
        };
        const run = await spec.runTraced(repoDir, env);
        assert.equal(run.exitCode, 0, run.output.slice(-3000));
        assert.ok(run.shutdownMs < 10_000, `took ${run.shutdownMs} ms to stop`);
        assert.ok(
          !run.output.includes('local-only-value'),
          'a secret value reached the logs',
        );

        const span = receiver.spans.find(
          s => s.traceId === run.traceId && s.kind === spec.expectedSpanKind,
        );
        assert.ok(
          span,
          `no span of kind ${spec.expectedSpanKind} in trace ${
            run.traceId
          }; got ${JSON.stringify(
            receiver.spans.map(s => [s.traceId, s.kind, s.name]),
          )}`,
        );
        assert.equal(span.parentSpanId, run.parentSpanId);
        assert.deepEqual(
          Object.fromEntries(
            [
              'service.name',
              'team',
              'cost_center',
              'deployment.environment.name',
              'service.namespace',
            ].map(k => [k, span.resource[k]]),
          ),
          {
            'service.name': name,
            team: 'team-payments',
            cost_center: 'CC-1001',
            'deployment.environment.name': 'dev',
            'service.namespace': 'checkout',
          },
        );
      });
    });

    it('generates manifests that build with kustomize and validate against their schemas', () => {
      const built = buildAndValidateDeploy(repoDir);
      assert.deepEqual(Object.keys(built).sort(), ['dev', 'prod', 'staging']);
      for (const [environment, objects] of Object.entries(built)) {
        const kinds = objects.map(o => o.kind);
        for (const kind of [
          'Deployment',
          'HorizontalPodAutoscaler',
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
        const hpa = objects.find(o => o.kind === 'HorizontalPodAutoscaler')!;
        assert.deepEqual([hpa.spec.minReplicas, hpa.spec.maxReplicas], [2, 10]);
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

    it('commits no secret: every declared secret is seeded for every environment, only in the secret store', () => {
      assert.deepEqual(scanForSecrets(repoDir), []);
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

    it('has a secret scanner that does find a planted token', () => {
      const dir = mkdtempSync(join(tmpdir(), 'gp-planted-'));
      mkdirSync(join(dir, 'config'));
      writeFileSync(
        join(dir, 'config/creds.env'),
        `GITHUB_TOKEN=ghp_${'wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx'}\n`,
      );
      assert.notDeepEqual(scanForSecrets(dir), []);
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
