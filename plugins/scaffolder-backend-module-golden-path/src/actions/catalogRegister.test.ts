import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ConflictError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createCatalogRegisterAction } from './catalogRegister';

describe('golden-path:catalog:register', () => {
  const component = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payments-api', namespace: 'default' },
  };
  const setup = () => {
    const catalog = catalogServiceMock.mock({
      addLocation: jest.fn(async () => ({
        location: {
          id: '1',
          type: 'url',
          target: 'x',
          entityRef: 'location:default/x',
        },
        entities: [component],
        exists: false,
      })),
    });
    const action = createCatalogRegisterAction({
      catalog,
      auth: mockServices.auth(),
      integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
    });
    return { catalog, action };
  };
  const url = 'file:///data/repos/payments-api/catalog-info.yaml';

  it('registers as the scaffolder, not as the user who runs the template', async () => {
    const { catalog, action } = setup();
    const ctx = createMockActionContext({
      input: { catalogInfoUrl: url },
      getInitiatorCredentials: async () =>
        mockCredentials.user('user:default/bob'),
    });
    await action.handler(ctx);
    const [location, options] = (catalog.addLocation as jest.Mock).mock
      .calls[0];
    expect(location).toEqual({ type: 'url', target: url });
    expect(options.credentials.principal).toEqual({
      type: 'service',
      subject: 'plugin:test',
    });
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'component:default/payments-api',
    );
  });

  it('treats a location that is already registered (a resumed task) as done', async () => {
    const { catalog, action } = setup();
    (catalog.addLocation as jest.Mock).mockRejectedValueOnce(
      new ConflictError('exists'),
    );
    const ctx = createMockActionContext({ input: { catalogInfoUrl: url } });
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'component:default/payments-api',
    );
  });

  it('writes nothing in a dry run and needs exactly one URL', async () => {
    const { catalog, action } = setup();
    await action.handler({
      ...createMockActionContext({ input: { catalogInfoUrl: url } }),
      isDryRun: true,
    });
    expect(catalog.addLocation).not.toHaveBeenCalled();
    await expect(
      action.handler(createMockActionContext({ input: {} })),
    ).rejects.toThrow(/exactly one of catalogInfoUrl and repoContentsUrl/);
  });
});
