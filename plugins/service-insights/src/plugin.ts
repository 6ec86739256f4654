import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { ServiceInsightsClient, serviceInsightsApiRef } from './api';
import {
  CostTagsField,
  costTagsFieldSchema,
  validateCostTagsField,
} from './components/CostTagsField';
import {
  SecretValuesField,
  secretValuesFieldSchema,
  validateSecretValuesField,
} from './components/SecretValuesField';
import { rootRouteRef } from './routes';

/** The service-insights plugin for the legacy frontend system. */
export const serviceInsightsPlugin = createPlugin({
  id: 'service-insights',
  apis: [
    createApiFactory({
      api: serviceInsightsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ServiceInsightsClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
  },
});

/** The platform dashboard: `<Route path="/service-insights" element={<ServiceInsightsPage />} />`. */
export const ServiceInsightsPage = serviceInsightsPlugin.provide(
  createRoutableExtension({
    name: 'ServiceInsightsPage',
    component: () =>
      import('./components/ServiceInsightsPage').then(
        m => m.ServiceInsightsPage,
      ),
    mountPoint: rootRouteRef,
  }),
);

/** Ownership, cost tags, trace links and provenance on a component's page. */
export const EntityServiceInsightsCard = serviceInsightsPlugin.provide(
  createComponentExtension({
    name: 'EntityServiceInsightsCard',
    component: {
      lazy: () =>
        import('./components/ServiceInsightsCard').then(
          m => m.ServiceInsightsCard,
        ),
    },
  }),
);

/** On a Group's page: how its services' cost-tag and tracing compliance moved over 30 days. */
export const EntityComplianceTrendCard = serviceInsightsPlugin.provide(
  createComponentExtension({
    name: 'EntityComplianceTrendCard',
    component: {
      lazy: () =>
        import('./components/ComplianceTrend').then(
          m => m.EntityComplianceTrendCard,
        ),
    },
  }),
);

/**
 * `ui:field: CostTags` for templates: place it inside `<ScaffolderFieldExtensions>` of the scaffolder route.
 */
export const CostTagsFieldExtension = serviceInsightsPlugin.provide(
  createScaffolderFieldExtension({
    name: 'CostTags',
    component: CostTagsField,
    validation: validateCostTagsField,
    schema: costTagsFieldSchema,
  }),
);

/**
 * `ui:field: SecretValues` for templates: one masked input per declared secret and environment, values only in the
 * task secrets. Place it inside `<ScaffolderFieldExtensions>` of the scaffolder route.
 */
export const SecretValuesFieldExtension = serviceInsightsPlugin.provide(
  createScaffolderFieldExtension({
    name: 'SecretValues',
    component: SecretValuesField,
    validation: validateSecretValuesField,
    schema: secretValuesFieldSchema,
  }),
);
