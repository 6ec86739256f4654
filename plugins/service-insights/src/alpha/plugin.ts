import { convertLegacyRouteRefs } from '@backstage/core-compat-api';
import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import { rootRouteRef } from '../routes';
import {
  costTagsFormField,
  secretValuesFormField,
  serviceInsightsApi,
  serviceInsightsEntityCard,
  serviceInsightsGroupTrendCard,
  serviceInsightsPage,
} from './extensions';

/** The service-insights plugin for the new frontend system. */
export const serviceInsightsPlugin = createFrontendPlugin({
  pluginId: 'service-insights',
  title: 'Service insights',
  info: { packageJson: () => import('../../package.json') },
  extensions: [
    serviceInsightsApi,
    serviceInsightsEntityCard,
    serviceInsightsGroupTrendCard,
    serviceInsightsPage,
    costTagsFormField,
    secretValuesFormField,
  ],
  routes: convertLegacyRouteRefs({ root: rootRouteRef }),
});
