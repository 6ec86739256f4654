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
        catalogServiceMock.factory(),
        mockServices.rootConfig.factory({ data: config }),
      ],
    });

  it('registers every golden-path action', async () => {
    const registered: string[] = [];
    await start({}, registered);
    expect(registered.sort()).toEqual([
      'golden-path:catalog:provenance',
      'golden-path:catalog:register',
      'golden-path:chaos',
      'golden-path:ci',
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

  const sale = {
    name: 'sale',
    dates: { from: '11-27', to: '11-30' },
    min: 5,
    max: 10,
  };
  it.each([
    [
      'a registry with a scheme',
      { registry: 'https://ghcr.io/acme' },
      "Invalid goldenPath.deploy.registry: 'https://ghcr.io/acme' must not have a scheme",
    ],
    [
      'a registry with spaces',
      { registry: 'ghcr.io/acme corp' },
      "Invalid goldenPath.deploy.registry: 'ghcr.io/acme corp' is not a registry",
    ],
    [
      'a peak window with min above max',
      { autoscaling: { peakWindows: [{ ...sale, min: 20 }] } },
      'goldenPath.deploy.autoscaling.peakWindows[0].min (20) must not exceed goldenPath.deploy.autoscaling.peakWindows[0].max (10)',
    ],
    [
      'a peak window for an unknown environment',
      { autoscaling: { peakWindows: [{ ...sale, environments: ['qa'] }] } },
      "Invalid goldenPath.deploy.autoscaling.peakWindows[0].environments[0]: 'qa' is not one of the deploy environments (dev, staging, prod)",
    ],
    [
      'bounds for an unknown environment',
      { autoscaling: { environments: { qa: { min: 1 } } } },
      "Invalid goldenPath.deploy.autoscaling.environments.qa: 'qa' is not one of the deploy environments",
    ],
  ])(
    'refuses to start with %s, so no template runs with it',
    async (_, deploy, message) => {
      const registered: string[] = [];
      await expect(
        start({ goldenPath: { deploy } }, registered),
      ).rejects.toThrow(message);
      expect(registered).toEqual([]);
    },
  );
});
