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
import { FirstPageRequest } from '../components/ServiceInsightsPage/firstPage';
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
export const serviceInsightsPage = PageBlueprint.makeWithOverrides({
  factory(originalFactory, { apis }) {
    // The route calls the loader each time it renders the page, and renders it several times while the app starts:
    // one load per app, retried after a failure.
    let page: Promise<JSX.Element> | undefined;
    const load = async () => {
      // Before the page's header is drawn and while the dashboard's code loads: the first page of components, asked
      // for here rather than once the dashboard renders.
      const api = apis.get(serviceInsightsApiRef);
      const firstPage =
        api && new FirstPageRequest(api, window.location.search);
      const { ServiceInsightsDashboard } = await import(
        '../components/ServiceInsightsPage'
      );
      return compatWrapper(
        <Content>
          <ServiceInsightsDashboard firstPage={firstPage} />
        </Content>,
      );
    };
    return originalFactory({
      path: '/service-insights',
      title: 'Service insights',
      icon: <InsightsIcon fontSize="inherit" />,
      routeRef: convertLegacyRouteRef(rootRouteRef),
      loader: () =>
        (page ??= load().catch(error => {
          page = undefined;
          throw error;
        })),
    });
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
