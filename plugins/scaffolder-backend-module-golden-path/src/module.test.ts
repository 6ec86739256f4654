import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { goldenPathScaffolderModule } from './module';

describe('goldenPathScaffolderModule', () => {
  const start = (config: object, registered: string[] = []) =>
    startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          {
            addActions: (...actions: any[]) =>
              registered.push(...actions.map(a => a.id)),
          },
        ],
      ],
      features: [
        goldenPathScaffolderModule,
        mockServices.rootConfig.factory({ data: config }),
        catalogServiceMock.factory(),
      ],
    });

  it('registers every golden-path action', async () => {
    const registered: string[] = [];
    await start({}, registered);
    expect(registered.sort()).toEqual([
      'golden-path:catalog:provenance',
      'golden-path:catalog:register',
      'golden-path:codeowners',
      'golden-path:cost-tags',
      'golden-path:deploy',
      'golden-path:publish:local',
      'golden-path:secrets',
      'golden-path:secrets:seed',
      'golden-path:tracing',
      'golden-path:wire',
    ]);
  });

  it('refuses to start with a broken policy and names the key', async () => {
    await expect(
      start({ goldenPath: { deploy: { hpa: { min: 5, max: 2 } } } }),
    ).rejects.toThrow(
      'goldenPath.deploy.hpa.min (5) must not exceed goldenPath.deploy.hpa.max (2)',
    );
    await expect(
      start({
        goldenPath: { costTags: { rules: { 'cost-center': '^CC-[' } } },
      }),
    ).rejects.toThrow('goldenPath.costTags.rules.cost-center');
  });
});
