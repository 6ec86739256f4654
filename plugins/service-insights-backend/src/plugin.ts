import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { readGoldenPathPolicy } from '@golden-path/common';
import { createRouter } from './router';
import {
  createRuntimeService,
  readEnvironmentClusters,
} from './runtime/kubernetesRuntime';
import { createRuntimeRouter } from './runtime/runtimeRouter';
import { createSecretsStatus } from './secretsStatus';
import { createServiceInsightsService } from './services/createServiceInsightsService';

/**
 * Aggregates the catalog for the service-insights card and dashboard: ownership, cost-tag compliance and tracing
 * per service, with roll-ups per team and cost center. Every view is computed with the caller's credentials.
 *
 * @public
 */
export const serviceInsightsPlugin = createBackendPlugin({
  pluginId: 'service-insights',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        cache: coreServices.cache,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
      },
      async init({
        httpRouter,
        httpAuth,
        logger,
        config,
        cache,
        catalog,
        auth,
        discovery,
      }) {
        // Read once: a broken policy stops the backend at startup with the key at fault.
        const policy = readGoldenPathPolicy(config);
        const serviceInsights = createServiceInsightsService({
          catalog,
          cache,
          policy,
          logger,
        });
        const secretsStatus = createSecretsStatus({
          catalog,
          policy,
          config,
          logger,
        });
        httpRouter.use(
          await createRouter({ httpAuth, serviceInsights, secretsStatus }),
        );
        // What runs in each environment, from Backstage's Kubernetes plugin (see README: runtime and drift).
        const runtime = createRuntimeService({
          auth,
          discovery,
          catalog,
          policy,
          environmentOf: readEnvironmentClusters(
            config,
            policy.deploy.environments,
          ),
          logger,
        });
        httpRouter.use(createRuntimeRouter({ httpAuth, runtime }));
      },
    });
  },
});
