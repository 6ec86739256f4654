import {
  compatWrapper,
  convertLegacyRouteRef,
} from '@backstage/core-compat-api';
import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { Content } from '@backstage/core-components';
import { ApiBlueprint, PageBlueprint } from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import InsightsIcon from '@material-ui/icons/Assessment';
import { ServiceInsightsClient, serviceInsightsApiRef } from '../api';
import { ServiceInsightsDashboard } from '../components/ServiceInsightsPage';
import { rootRouteRef } from '../routes';

/** The service-insights backend client. */
export const serviceInsightsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: serviceInsightsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ServiceInsightsClient({ discoveryApi, fetchApi }),
    }),
});

/** The card on every component's overview (an entity predicate: string filters such as `kind:component` are deprecated). */
export const serviceInsightsEntityCard = EntityCardBlueprint.make({
  params: {
    filter: { kind: 'component' },
    loader: () =>
      import('../components/ServiceInsightsCard').then(m =>
        compatWrapper(<m.ServiceInsightsCard />),
      ),
  },
});

/** The compliance trend on every Group's overview. */
export const serviceInsightsGroupTrendCard = EntityCardBlueprint.make({
  name: 'group-trend',
  params: {
    filter: { kind: 'group' },
    loader: () =>
      import('../components/ComplianceTrend').then(m =>
        compatWrapper(<m.EntityComplianceTrendCard />),
      ),
  },
});

/**
 * The platform dashboard at `/service-insights`. Its `title` and `icon` also make the sidebar entry: since
 * frontend-plugin-api 0.17 nav items come from pages (`NavItemBlueprint` is gone).
 */
export const serviceInsightsPage = PageBlueprint.make({
  params: {
    path: '/service-insights',
    title: 'Service insights',
    icon: <InsightsIcon fontSize="inherit" />,
    routeRef: convertLegacyRouteRef(rootRouteRef),
    // Not a dynamic import: the dashboard's entry is a few lines that ask for the first page of components as soon
    // as the route renders, and load the rest of the dashboard's code meanwhile (see ServiceInsightsDashboard).
    loader: async () =>
      compatWrapper(
        <Content>
          <ServiceInsightsDashboard />
        </Content>,
      ),
  },
});

/** `ui:field: CostTags` in the scaffolder. */
export const costTagsFormField = FormFieldBlueprint.make({
  name: 'cost-tags',
  params: {
    field: () => import('./costTagsFormField').then(m => m.costTagsFormField),
  },
});

/** `ui:field: SecretValues` in the scaffolder. */
export const secretValuesFormField = FormFieldBlueprint.make({
  name: 'secret-values',
  params: {
    field: () =>
      import('./secretValuesFormField').then(m => m.secretValuesFormField),
  },
});
