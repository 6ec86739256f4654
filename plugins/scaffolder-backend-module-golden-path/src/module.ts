import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { readGoldenPathPolicy } from '@golden-path/common';
import { createCatalogRegisterAction } from './actions/catalogRegister';
import { createChaosAction } from './actions/chaos';
import { createCiAction } from './actions/ci';
import { createCodeownersAction } from './actions/codeowners';
import { createCostTagsAction } from './actions/costTags';
import { createDeployManifestsAction } from './actions/deployManifests';
import { createProvenanceAction } from './actions/provenance';
import { createPublishLocalAction } from './actions/publishLocal';
import { createSecretsAction } from './actions/secrets';
import { createSecretsSeedAction } from './actions/secretsSeed';
import { createTracingAction } from './actions/tracing';
import { createWireAction } from './actions/wire';

/**
 * Registers the golden-path actions with the scaffolder. The policy is read once at startup, so bad
 * `goldenPath` config stops the backend with a message naming the key.
 *
 * @public
 */
export const goldenPathScaffolderModule = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'golden-path',
  register({ registerInit }) {
    registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
      },
      async init({ scaffolder, config, auth, catalog }) {
        const policy = readGoldenPathPolicy(config);
        scaffolder.addActions(
          createTracingAction({ policy }),
          createCostTagsAction({ policy }),
          createSecretsAction({ policy }),
          createSecretsSeedAction({ policy, config, catalog }),
          createDeployManifestsAction({ policy }),
          createChaosAction({ policy }),
          createCiAction(),
          createProvenanceAction(),
          createCodeownersAction({ policy, catalog }),
          createWireAction({ policy, catalog }),
          createPublishLocalAction({ config }),
          createCatalogRegisterAction({
            catalog,
            auth,
            integrations: ScmIntegrations.fromConfig(config),
          }),
        );
      },
    });
  },
});
