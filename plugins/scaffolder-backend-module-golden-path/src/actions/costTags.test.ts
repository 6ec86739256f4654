import {
  DEFAULT_GOLDEN_PATH_POLICY,
  parseOtelResourceAttributes,
} from '@golden-path/common';
import yaml from 'yaml';
import {
  COMPONENT_CATALOG_INFO,
  createWorkspaceFixture,
} from '../__testUtils__/actionFixture';
import { parseEnvFile } from '../workspace/envFile';
import { createCostTagsAction } from './costTags';
import { examples } from './costTags.examples';

describe('golden-path:cost-tags', () => {
  const ws = createWorkspaceFixture();
  const action = createCostTagsAction({ policy: DEFAULT_GOLDEN_PATH_POLICY });
  const costTags = {
    team: 'payments',
    'cost-center': 'CC-1001',
    environment: 'dev',
    product: 'checkout',
  };

  beforeEach(() =>
    ws.reset({
      'catalog-info.yaml': COMPONENT_CATALOG_INFO,
      // written earlier by the deploy action: must survive
      'deploy/base/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
    }),
  );

  it('projects the tags into the catalog, Kubernetes labels, OTel attributes and cloud tags', async () => {
    const ctx = ws.context({ name: 'payments-api', costTags });
    await action.handler(ctx);

    expect(ws.yaml('catalog-info.yaml').metadata.labels).toEqual({
      'golden-path.io/team': 'payments',
      'golden-path.io/cost-center': 'CC-1001',
      'golden-path.io/environment': 'dev',
      'golden-path.io/product': 'checkout',
    });
    const base = ws.yaml('deploy/base/kustomization.yaml');
    expect(base.resources).toEqual(['deployment.yaml']);
    expect(base.labels).toEqual([
      {
        pairs: {
          team: 'payments',
          'cost-center': 'CC-1001',
          env: 'dev',
          'app.kubernetes.io/part-of': 'checkout',
        },
        includeSelectors: false,
        includeTemplates: true,
      },
    ]);
    expect(
      parseOtelResourceAttributes(
        parseEnvFile(ws.read('deploy/base/otel.env')).OTEL_RESOURCE_ATTRIBUTES,
      ),
    ).toEqual({
      team: 'payments',
      cost_center: 'CC-1001',
      'deployment.environment.name': 'dev',
      'service.namespace': 'checkout',
    });
    expect(JSON.parse(ws.read('infra/cost-tags.auto.tfvars.json'))).toEqual({
      cost_tags: {
        team: 'payments',
        'cost-center': 'CC-1001',
        environment: 'dev',
        product: 'checkout',
      },
    });
  });

  it('gives every environment overlay its own environment label and resource attribute', async () => {
    await action.handler(ws.context({ name: 'payments-api', costTags }));
    for (const env of ['dev', 'staging', 'prod']) {
      const overlay = ws.yaml(`deploy/overlays/${env}/kustomization.yaml`);
      expect(overlay.labels[0].pairs).toEqual({ env });
      const literal = overlay.configMapGenerator[0].literals[0] as string;
      expect(overlay.configMapGenerator[0]).toMatchObject({
        name: 'payments-api-otel',
        behavior: 'merge',
      });
      expect(
        parseOtelResourceAttributes(
          literal.replace('OTEL_RESOURCE_ATTRIBUTES=', ''),
        )['deployment.environment.name'],
      ).toBe(env);
    }
  });

  it('names each broken tag and its rule, and writes nothing', async () => {
    const before = ws.snapshot();
    await expect(
      action.handler(
        ws.context({
          name: 'payments-api',
          costTags: {
            team: 'payments',
            'cost-center': '1001',
            environment: 'qa',
          },
        }),
      ),
    ).rejects.toThrow(
      'Cost tags break the policy: costTags.cost-center "1001" must match ^CC-[0-9]{4}$; costTags.environment "qa" must be one of dev, staging, prod; costTags.product is required',
    );
    expect(ws.snapshot()).toEqual(before);
  });

  it('refuses values that cannot be Kubernetes labels, such as HTML', async () => {
    await expect(
      action.handler(
        ws.context({
          name: 'payments-api',
          costTags: { ...costTags, product: '<b>x</b>' },
        }),
      ),
    ).rejects.toThrow(
      'costTags.product "<b>x</b>" must be a valid Kubernetes label value',
    );
  });

  it('changes nothing when run twice', async () => {
    await action.handler(ws.context({ name: 'payments-api', costTags }));
    const first = ws.snapshot();
    await action.handler(ws.context({ name: 'payments-api', costTags }));
    expect(ws.snapshot()).toEqual(first);
  });

  it.each(examples.map(e => [e.description, e] as const))(
    'example: %s',
    async (_, example) => {
      await action.handler(
        ws.context(yaml.parse(example.example).steps[0].input),
      );
      expect(ws.exists('infra/cost-tags.auto.tfvars.json')).toBe(true);
    },
  );
});
