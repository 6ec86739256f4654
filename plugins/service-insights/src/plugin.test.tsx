import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  TestApiProvider,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  CostTagsFieldExtension,
  EntityServiceInsightsCard,
  ServiceInsightsPage,
  serviceInsightsPlugin,
} from './index';
import { testApis } from './__testUtils__/apis';
import { BASE_URL, componentEntity, insight } from './__testUtils__/fixtures';

const server = setupServer();
registerMswTestHooks(server);

describe('service-insights (legacy frontend system)', () => {
  it('provides the API factory and the dashboard route', () => {
    expect(serviceInsightsPlugin.getId()).toBe('service-insights');
    expect([...serviceInsightsPlugin.getApis()].map(f => f.api.id)).toEqual([
      'plugin.service-insights.service',
    ]);
    expect(serviceInsightsPlugin.routes.root).toBeDefined();
    expect(ServiceInsightsPage).toBeDefined();
    expect(CostTagsFieldExtension).toBeDefined();
  });

  it('renders the entity card extension', async () => {
    server.use(
      http.get(`${BASE_URL}/entity`, () => HttpResponse.json(insight())),
    );
    await renderInTestApp(
      <TestApiProvider apis={testApis()}>
        <EntityProvider entity={componentEntity()}>
          <EntityServiceInsightsCard />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(await screen.findByText('#team-payments')).toBeInTheDocument();
  });
});
