import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { readGoldenPathPolicy } from '@golden-path/common';
import { createRouter } from './router';
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
      },
      async init({ httpRouter, httpAuth, logger, config, cache, catalog }) {
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
      },
    });
  },
});
