// The go-api golden path, end to end: render through the real scaffolder, then build, test and run what it
// generated with the real Go toolchain, and check its manifests and secrets hygiene.
import assert from 'node:assert/strict';
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
import { freePort } from '../backend/integration/lib/backendProcess.ts';
import {
  getJson,
  runTask,
  TaskRejected,
} from '../backend/integration/lib/portalApi.ts';
import { generate, startPortal, type Portal } from './lib/generate.ts';
import { buildAndValidateDeploy } from './lib/manifests.ts';
import { startOtlpReceiver, type OtlpReceiver } from './lib/otlpReceiver.ts';
import {
  readEnvFile,
  repoFile,
  run,
  startService,
  terminate,
  waitForHttp,
} from './lib/processes.ts';
import { scanForSecrets } from './lib/secretScan.ts';

const sample = {
  name: 'payments-api',
  description: 'Authorises card payments',
  owner: 'group:default/team-payments',
  system: 'system:default/checkout',
  lifecycle: 'experimental',
  costTags: {
    team: 'payments',
    'cost-center': 'CC-1001',
    environment: 'dev',
    product: 'checkout',
  },
  secrets: ['DB_PASSWORD', 'STRIPE_API_KEY'],
  publishTarget: 'local',
};
const seededValue = `s3cr3t-${randomBytes(8).toString('hex')}`;

describe('go-api golden path', () => {
  let portal: Portal;
  let repoDir: string;
  let taskMessages: string[];

  before(async () => {
    portal = await startPortal(['go-api']);
    ({ repoDir, messages: taskMessages } = await generate(
      portal,
      'go-api',
      sample,
      { firstSecretValue: seededValue },
    ));
  });
  after(async () => portal?.backend.stop());

  it('generates the repository with catalog metadata from the form and the policy', () => {
    for (const file of [
      'go.mod',
      'cmd/server/main.go',
      'internal/telemetry/telemetry.go',
      'Dockerfile',
      '.github/workflows/ci.yaml',
      '.github/CODEOWNERS',
      '.gitleaks.toml',
      '.secrets.example/DB_PASSWORD',
      'deploy/base/kustomization.yaml',
      'deploy/flux/prod.yaml',
      'infra/cost-tags.auto.tfvars.json',
    ]) {
      assert.ok(existsSync(join(repoDir, file)), `${file} is missing`);
    }
    assert.match(
      repoFile(repoDir, 'go.mod'),
      /^module example\.com\/payments-api$/m,
    );
    assert.match(
      repoFile(repoDir, '.github/CODEOWNERS'),
      /^\*\s+@team-payments$/m,
    );
    const entity = YAML.parse(repoFile(repoDir, 'catalog-info.yaml'));
    assert.deepEqual(
      {
        owner: entity.spec.owner,
        system: entity.spec.system,
        lifecycle: entity.spec.lifecycle,
      },
      { owner: sample.owner, system: sample.system, lifecycle: 'experimental' },
    );
    assert.deepEqual(entity.metadata.labels, {
      'golden-path.io/team': 'payments',
      'golden-path.io/cost-center': 'CC-1001',
      'golden-path.io/environment': 'dev',
      'golden-path.io/product': 'checkout',
    });
    assert.equal(
      entity.metadata.annotations['backstage.io/source-template'],
      'template:default/go-api',
    );
    assert.equal(
      entity.metadata.annotations['backstage.io/template-version'],
      '1.0.0',
    );
    assert.equal(
      entity.metadata.annotations['golden-path.io/otel-service-name'],
      'payments-api',
    );
    assert.equal(
      entity.metadata.annotations['golden-path.io/secrets'],
      'DB_PASSWORD,STRIPE_API_KEY',
    );
  });

  it('registers the new service in the catalog', async () => {
    const entity = await getJson(
      `${portal.backend.baseUrl}/api/catalog/entities/by-name/component/default/payments-api`,
      portal.token,
    );
    const owners = entity.relations.filter((r: any) => r.type === 'ownedBy').map((r: any) => r.targetRef);
    assert.deepEqual(owners, [sample.owner]);
  });

  it('passes go vet and its own tests', () => {
    run('go', ['vet', './...'], { cwd: repoDir });
    const output = run('go', ['test', './...'], { cwd: repoDir });
    assert.doesNotMatch(output, /FAIL/);
  });

  describe('the built service', () => {
    let receiver: OtlpReceiver;
    let binary: string;
    before(async () => {
      receiver = await startOtlpReceiver();
      binary = join(mkdtempSync(join(tmpdir(), 'gp-bin-')), 'server');
      run('go', ['build', '-o', binary, './cmd/server'], { cwd: repoDir });
    });
    after(() => receiver?.close());

    it('continues an incoming trace, exports it with service.name and the cost tags, and stops cleanly on SIGTERM', async () => {
      const port = await freePort();
      const secretsDir = mkdtempSync(join(tmpdir(), 'gp-secrets-'));
      writeFileSync(join(secretsDir, 'DB_PASSWORD'), 'local-only\n');
      const env = {
        ...readEnvFile(join(repoDir, 'deploy/base/otel.env')),
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        PORT: String(port),
        SECRETS_DIR: secretsDir,
      };
      const service = startService(binary, [], repoDir, env);
      await waitForHttp(`http://127.0.0.1:${port}/readyz`);

      const traceId = randomBytes(16).toString('hex');
      const parentSpanId = randomBytes(8).toString('hex');
      const res = await fetch(
        `http://127.0.0.1:${port}/api/v1/hello?name=conformance`,
        {
          headers: { traceparent: `00-${traceId}-${parentSpanId}-01` },
        },
      );
      assert.equal(res.status, 200);
      assert.equal(
        (await fetch(`http://127.0.0.1:${port}/healthz`)).status,
        200,
      );

      const { code, ms } = await terminate(service);
      assert.equal(code, 0, service.output());
      assert.ok(ms < 10_000, `took ${ms} ms to stop`);
      assert.doesNotMatch(
        service.output(),
        /local-only/,
        'a secret value reached the logs',
      );

      const span = receiver.spans.find(s => s.traceId === traceId);
      assert.ok(
        span,
        `no span with trace id ${traceId}; got ${JSON.stringify(
          receiver.spans,
        )}`,
      );
      assert.equal(span.parentSpanId, parentSpanId);
      assert.equal(span.kind, 2, 'expected a SERVER span');
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
          'service.name': 'payments-api',
          team: 'payments',
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
      const kinds = objects.map(o => o.kind).sort();
      for (const kind of [
        'Deployment',
        'Service',
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
      const deployment = objects.find(o => o.kind === 'Deployment')!;
      const podLabels = deployment.spec.template.metadata.labels;
      assert.equal(podLabels.team, 'payments');
      assert.equal(podLabels['cost-center'], 'CC-1001');
      assert.equal(podLabels.env, environment);
      const container = deployment.spec.template.spec.containers[0];
      assert.ok(
        container.livenessProbe &&
          container.readinessProbe &&
          container.resources?.limits,
      );
      const hpa = objects.find(o => o.kind === 'HorizontalPodAutoscaler')!;
      assert.deepEqual([hpa.spec.minReplicas, hpa.spec.maxReplicas], [2, 10]);
      const denyAll = objects.find(
        o =>
          o.kind === 'NetworkPolicy' &&
          Object.keys(o.spec.podSelector ?? {}).length === 0,
      );
      assert.ok(denyAll, `${environment}: no default-deny NetworkPolicy`);
      const externalSecret = objects.find(o => o.kind === 'ExternalSecret')!;
      assert.deepEqual(
        externalSecret.spec.data.map((d: any) => d.remoteRef.key),
        [
          `${environment}/payments-api/DB_PASSWORD`,
          `${environment}/payments-api/STRIPE_API_KEY`,
        ],
      );
    }
  });

  it('commits no secret: the seeded value lives only in the secret store', () => {
    assert.deepEqual(scanForSecrets(repoDir), []);
    const stored = join(
      portal.dataDir,
      'secrets',
      'dev',
      'payments-api',
      'DB_PASSWORD',
    );
    assert.ok(
      existsSync(stored),
      `the initial value was not stored in the local secret store; the task said:\n${taskMessages
        .filter(m => /seed|secret/i.test(m))
        .join('\n')}`,
    );
    const files = readdirSync(repoDir, { recursive: true, withFileTypes: true })
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
    const attempt = async (values: Record<string, unknown>) => {
      try {
        const task = await runTask(
          portal.backend.baseUrl,
          portal.token,
          'template:default/go-api',
          { ...sample, ...values },
        );
        return { status: task.status, text: task.messages.join('\n') };
      } catch (error) {
        if (error instanceof TaskRejected)
          return { status: `rejected ${error.status}`, text: error.body };
        throw error;
      }
    };
    const reposBefore = () => readdirSync(join(portal.dataDir, 'repos')).sort();

    for (const [what, values, expected] of [
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
          costTags: { ...sample.costTags, 'cost-center': '1234' },
        },
        /costTags\.cost-center "1234" must match \^CC-\[0-9\]\{4\}\$/,
      ],
      [
        'a secret name that is not env-var-safe',
        { name: 'bad-secret', secrets: ['db-password'] },
        /secrets/,
      ],
    ] as const) {
      it(`refuses ${what} and publishes nothing`, async () => {
        const before = reposBefore();
        const result = await attempt(values);
        assert.notEqual(result.status, 'completed');
        assert.match(result.text, expected);
        assert.deepEqual(reposBefore(), before);
      });
    }

    it('keeps template syntax in free text as plain text', async () => {
      const description =
        'Uses ${{ secrets.x }} and {{ values.name }} literally';
      const { repoDir: dir } = await generate(portal, 'go-api', {
        ...sample,
        name: 'literal-desc',
        description,
      });
      assert.equal(
        YAML.parse(repoFile(dir, 'catalog-info.yaml')).metadata.description,
        description,
      );
    });
  });
});
