import { DEFAULT_GOLDEN_PATH_POLICY } from '@golden-path/common';
import yaml from 'yaml';
import {
  COMPONENT_CATALOG_INFO,
  createWorkspaceFixture,
} from '../__testUtils__/actionFixture';
import { createCiAction } from './ci';
import { createCodeownersAction } from './codeowners';
import { createCostTagsAction } from './costTags';
import { createDeployManifestsAction } from './deployManifests';
import { createProvenanceAction } from './provenance';
import { createSecretsAction } from './secrets';
import { createTracingAction } from './tracing';
import { createWireAction } from './wire';
import { examples } from './wire.examples';

describe('golden-path:wire', () => {
  const ws = createWorkspaceFixture();
  const policy = {
    ...DEFAULT_GOLDEN_PATH_POLICY,
    deploy: { ...DEFAULT_GOLDEN_PATH_POLICY.deploy, registry: 'ghcr.io/acme' },
    github: { org: 'acme' },
  };
  const templateInfo = {
    entityRef: 'template:default/go-api',
    baseUrl: 'file:///t/template.yaml',
    entity: {
      metadata: {
        name: 'go-api',
        annotations: { 'backstage.io/template-version': '1.0.0' },
      },
    },
  };
  const input = yaml.parse(examples[0].example).steps[0].input;
  const skeleton = {
    'go.mod': 'module example.com/payments-api\n',
    'catalog-info.yaml': COMPONENT_CATALOG_INFO,
    'README.md': '# payments-api\n',
    '.github/workflows/ci.yaml':
      'jobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: go test ./...\n',
  };

  it('writes exactly what the six actions write when a template calls them one by one', async () => {
    ws.reset(skeleton);
    const steps: Array<[any, Record<string, unknown>]> = [
      [createProvenanceAction(), {}],
      [createCodeownersAction({ policy }), {}],
      [
        createTracingAction({ policy }),
        { language: 'go', serviceName: input.name },
      ],
      [
        createCostTagsAction({ policy }),
        { name: input.name, costTags: input.costTags },
      ],
      [
        createSecretsAction({ policy }),
        { name: input.name, secrets: input.secrets },
      ],
      [
        createDeployManifestsAction({ policy }),
        { ...input.deploy, name: input.name, secrets: input.secrets },
      ],
      [createCiAction(), { language: 'go', repository: 'acme/payments-api' }],
    ];
    for (const [action, stepInput] of steps) {
      await action.handler(ws.context(stepInput, { templateInfo }));
    }
    const oneByOne = ws.snapshot();

    ws.reset(skeleton);
    await createWireAction({ policy }).handler(
      ws.context(input, { templateInfo }),
    );
    expect(ws.snapshot()).toEqual(oneByOne);
    expect(Object.keys(oneByOne)).toEqual(
      expect.arrayContaining([
        'internal/telemetry/telemetry.go',
        'deploy/base/deployment.yaml',
        'deploy/overlays/prod/external-secret.yaml',
        'infra/cost-tags.auto.tfvars.json',
        '.secrets.example/DB_PASSWORD',
        '.github/CODEOWNERS',
        '.github/dependabot.yml',
      ]),
    );
  });

  it('stops at the first rule a value breaks, naming it', async () => {
    ws.reset(skeleton);
    await expect(
      createWireAction({ policy }).handler(
        ws.context(
          { ...input, costTags: { ...input.costTags, environment: 'qa' } },
          { templateInfo },
        ),
      ),
    ).rejects.toThrow(
      'costTags.environment "qa" must be one of dev, staging, prod',
    );
  });

  it.each([
    [
      { port: 'http' },
      'golden-path:deploy',
      'port is not of a type(s) integer',
    ],
    [
      { workload: 'cronjob' },
      'golden-path:deploy',
      'workload is not one of enum values',
    ],
    [
      { resources: 'big' },
      'golden-path:deploy',
      'resources is not of a type(s) object',
    ],
  ])(
    "checks the deploy input %j against golden-path:deploy's own schema before writing anything",
    async (deploy, action, problem) => {
      ws.reset(skeleton);
      const before = ws.snapshot();
      await expect(
        createWireAction({ policy }).handler(
          ws.context({ ...input, deploy }, { templateInfo }),
        ),
      ).rejects.toThrow(
        `Invalid input for ${action} (from golden-path:wire): ${problem}`,
      );
      expect(ws.snapshot()).toEqual(before);
    },
  );

  it('works for templates that are not in the catalog (no provenance to stamp)', async () => {
    ws.reset(skeleton);
    await createWireAction({ policy }).handler(
      ws.context(input, { templateInfo: undefined }),
    );
    expect(
      ws.yaml('catalog-info.yaml').metadata.annotations[
        'backstage.io/source-template'
      ],
    ).toBeUndefined();
    expect(ws.exists('deploy/base/kustomization.yaml')).toBe(true);
  });

  it("opts in to chaos experiments toward the deploy env's URLs and the collector, and refuses before writing anything where the platform does not allow them", async () => {
    const chaosInput = {
      ...input,
      chaos: true,
      deploy: { ...input.deploy, env: { NATS_URL: 'nats://nats.nats:4222' } },
    };
    ws.reset(skeleton);
    const before = ws.snapshot();
    await expect(
      createWireAction({ policy }).handler(
        ws.context(chaosInput, { templateInfo }),
      ),
    ).rejects.toThrow(/goldenPath\.chaos\.enabled is false/);
    expect(ws.snapshot()).toEqual(before);

    await createWireAction({
      policy: {
        ...policy,
        chaos: { ...policy.chaos, enabled: true },
      },
    }).handler(ws.context(chaosInput, { templateInfo }));
    const targets = ws
      .read('deploy/overlays/staging/chaos.yaml')
      .match(/- \S+$/gm);
    expect(targets).toEqual(
      expect.arrayContaining(['- otel-collector.observability', '- nats.nats']),
    );
    expect(ws.exists('deploy/overlays/prod/chaos.yaml')).toBe(false);
  });

  it('refuses a skeleton without its own CI jobs before writing anything, since the image would be pushed untested', async () => {
    const { ['.github/workflows/ci.yaml']: _, ...withoutCi } = skeleton;
    ws.reset(withoutCi);
    const before = ws.snapshot();
    await expect(
      createWireAction({ policy }).handler(ws.context(input, { templateInfo })),
    ).rejects.toThrow(
      /ci\.yaml is missing: the template must render its own build and test jobs/,
    );
    expect(ws.snapshot()).toEqual(before);
  });

  it('names the GitHub repository Flux clones as the signer in the README', async () => {
    ws.reset(skeleton);
    await createWireAction({ policy }).handler(
      ws.context(input, { templateInfo }),
    );
    expect(input.deploy.gitUrl).toBe(
      'https://github.com/acme/payments-api.git',
    );
    expect(ws.read('README.md')).toContain(
      "--certificate-identity 'https://github.com/acme/payments-api/.github/workflows/ci.yaml@refs/heads/main'",
    );
    expect(Object.keys(ws.yaml('.github/workflows/ci.yaml').jobs)).toEqual([
      'test',
      'gitleaks',
      'image',
    ]);
  });
});
