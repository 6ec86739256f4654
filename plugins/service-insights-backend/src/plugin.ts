import {
  coreServices,
  createBackendPlugin,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { durationToMilliseconds } from '@backstage/types';
import { readGoldenPathPolicy } from '@golden-path/common';
import { refreshInsights } from './database/refreshInsights';
import { createSharedViews } from './database/sharedViews';
import { recordSnapshot } from './database/snapshots';
import { migratedClient } from './database/tables';
import { createRouter } from './router';
import {
  createRuntimeService,
  readEnvironmentClusters,
} from './runtime/kubernetesRuntime';
import { createRuntimeRouter } from './runtime/runtimeRouter';
import { createSecretsStatus } from './secretsStatus';
import { createServiceInsightsService } from './services/createServiceInsightsService';
import { readTraceQueryConfig } from './traces/traceBackends';
import { createTraceOwnersService } from './traces/traceOwners';
import { createTraceOwnersRouter } from './traces/traceOwnersRouter';

/** The refresh task's id; one run at a time across all replicas (scheduler scope `global`). */
export const REFRESH_TASK_ID = 'service-insights:refresh';

const DEFAULT_RETENTION_DAYS = 90;

const DEFAULT_REFRESH_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { seconds: 30 },
  timeout: { minutes: 15 },
  initialDelay: { seconds: 0 },
};

/**
 * Aggregates the catalog for the service-insights card and dashboard: ownership, cost-tag compliance and tracing
 * per service, with roll-ups per team and cost center. Insights are computed once into the plugin's database by a
 * scheduled refresh; every request applies the caller's catalog read permission in its query.
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
        auth: coreServices.auth,
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        permissions: coreServices.permissions,
        catalog: catalogServiceRef,
        discovery: coreServices.discovery,
        cache: coreServices.cache,
      },
      async init({
        httpRouter,
        httpAuth,
        auth,
        logger,
        config,
        database,
        scheduler,
        permissions,
        catalog,
        discovery,
        cache,
      }) {
        // Read once: a broken policy stops the backend at startup with the key at fault.
        const policy = readGoldenPathPolicy(config);
        const knex = await migratedClient(database);

        const retentionConfig = config.getOptionalConfig(
          'serviceInsights.snapshots',
        );
        const retentionDays = retentionConfig?.has('retention')
          ? Math.max(
              1,
              Math.floor(
                durationToMilliseconds(
                  readDurationFromConfig(retentionConfig, {
                    key: 'retention',
                  }),
                ) / 86_400_000,
              ),
            )
          : DEFAULT_RETENTION_DAYS;
        const scheduleConfig = config.getOptionalConfig(
          'serviceInsights.refresh',
        );
        await scheduler.scheduleTask({
          id: REFRESH_TASK_ID,
          ...(scheduleConfig
            ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
                scheduleConfig,
              )
            : DEFAULT_REFRESH_SCHEDULE),
          scope: 'global',
          fn: async () => {
            const stats = await refreshInsights({
              knex,
              catalog,
              credentials: await auth.getOwnServiceCredentials(),
              policy,
              logger,
            });
            // The day's compliance snapshot, as of the last refresh that changed something.
            await recordSnapshot(knex, {
              retentionDays,
              changed: stats.full || stats.fetched + stats.deleted > 0,
            });
          },
        });

        const serviceInsights = createServiceInsightsService({
          knex,
          catalog,
          permissions,
          policy,
          logger,
          sharedViews: createSharedViews({ knex, cache }),
        });
        const secretsStatus = createSecretsStatus({
          catalog,
          policy,
          config,
          logger,
        });
        httpRouter.use(
          await createRouter({
            httpAuth,
            serviceInsights,
            retentionDays,
            secretsStatus,
          }),
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
        // Who owns the services in a trace, from the tracing backends' query APIs (README: owners of a trace).
        const traceOwners = createTraceOwnersService({
          config: readTraceQueryConfig(config),
          catalog,
          getService: (ref, opts) => serviceInsights.getService(ref, opts),
          logger,
        });
        httpRouter.use(createTraceOwnersRouter({ httpAuth, traceOwners }));
      },
    });
  },
});
