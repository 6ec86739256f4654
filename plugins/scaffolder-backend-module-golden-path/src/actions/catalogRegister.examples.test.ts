import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import yaml from 'yaml';
import { createCatalogRegisterAction } from './catalogRegister';
import { examples } from './catalogRegister.examples';

describe('golden-path:catalog:register examples', () => {
  // The step outputs the examples refer to, as publish:local and publish:github produce them.
  const resolved: Record<string, string> = {
    "${{ steps['publish'].output.catalogInfoUrl }}":
      'file:///data/repos/payments-api/catalog-info.yaml',
    "${{ steps['publish'].output.repoContentsUrl }}":
      'https://github.com/acme/payments-api/blob/main',
  };

  it.each(examples.map(e => [e.description, e] as const))(
    '%s',
    async (_, example) => {
      const catalog = catalogServiceMock.mock({
        addLocation: jest.fn(async () => ({
          location: {
            id: '1',
            type: 'url',
            target: 'x',
            entityRef: 'location:default/x',
          },
          entities: [],
          exists: false,
        })),
      });
      const action = createCatalogRegisterAction({
        catalog,
        auth: mockServices.auth(),
        integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
      });
      const step = yaml
        .parse(example.example)
        .steps.find((s: any) => s.action === action.id);
      const input = Object.fromEntries(
        Object.entries(step.input).map(([k, v]) => [
          k,
          resolved[v as string] ?? v,
        ]),
      );
      const ctx = createMockActionContext({ input });
      await action.handler(ctx);
      expect((catalog.addLocation as jest.Mock).mock.calls[0][0]).toEqual({
        type: 'url',
        target: expect.stringMatching(/payments-api.*catalog-info\.yaml$/),
      });
    },
  );
});
