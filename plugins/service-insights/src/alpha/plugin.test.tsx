import { Entity } from '@backstage/catalog-model';
import {
  ApiBlueprint,
  coreExtensionData,
} from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  registerMswTestHooks,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import serviceInsightsPlugin, {
  costTagsFormField,
  secretValuesFormField,
  serviceInsightsApi,
  serviceInsightsPage,
} from '../alpha';
import { serviceInsightsApiRef } from '../api';
import {
  CONFIG,
  FILTER_OPTIONS,
  ROLLUPS,
  componentEntity,
  insight,
  listResponse,
  trendResponse,
} from '../__testUtils__/fixtures';

// The test app's real discovery: backend.baseUrl + /api/<pluginId>.
const BACKEND = 'http://localhost:7007/api/service-insights';
const config = {
  app: { baseUrl: 'http://localhost:3000' },
  backend: { baseUrl: 'http://localhost:7007' },
  ...CONFIG,
};

const server = setupServer();
registerMswTestHooks(server);

beforeEach(() => {
  server.use(
    http.get(`${BACKEND}/entity`, () => HttpResponse.json(insight())),
    http.get(`${BACKEND}/services`, () => HttpResponse.json(listResponse())),
    http.get(`${BACKEND}/rollups`, () => HttpResponse.json(ROLLUPS)),
    http.get(`${BACKEND}/filters`, () => HttpResponse.json(FILTER_OPTIONS)),
    http.get(`${BACKEND}/trends`, () => HttpResponse.json(trendResponse())),
  );
});

const group: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'team-payments' },
  spec: { type: 'team', children: [] },
};

describe('service-insights (new frontend system)', () => {
  it('shows the card on a component page, through the plugin API and the backend', async () => {
    renderTestApp({
      features: [serviceInsightsPlugin],
      extensions: [createTestEntityPage({ entity: componentEntity() })],
      config,
    });
    expect(await screen.findByText('Service insights')).toBeInTheDocument();
    expect(await screen.findByText('#team-payments')).toBeInTheDocument();
  });

  it("shows a group's compliance trend on its page, and not the component card", async () => {
    renderTestApp({
      features: [serviceInsightsPlugin],
      extensions: [createTestEntityPage({ entity: group })],
      config,
    });
    expect(
      await screen.findByText('Payments: 60 % → 85 % tagged in 30 days'),
    ).toBeInTheDocument();
    expect(screen.queryByText('#team-payments')).toBeNull();
    expect(screen.queryByRole('region', { name: 'Trace links' })).toBeNull();
  });

  it('leaves both cards off pages of other kinds', async () => {
    renderTestApp({
      features: [serviceInsightsPlugin],
      extensions: [
        createTestEntityPage({
          entity: { ...group, kind: 'System', spec: { owner: 'x' } },
        }),
      ],
      config,
    });
    expect(await screen.findByTestId('empty-entity-page')).toBeInTheDocument();
  });

  it('serves the dashboard at /service-insights, asking for its first page once', async () => {
    let pages = 0;
    server.use(
      http.get(`${BACKEND}/services`, () => {
        pages++;
        return HttpResponse.json(listResponse());
      }),
    );
    renderTestApp({
      features: [serviceInsightsPlugin],
      config,
      initialRouteEntries: ['/service-insights'],
      // The catalog plugin binds this in the app; entity links need it.
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
    // The page is lazy-loaded: on a cold Jest transform cache (a fresh CI machine) compiling it takes seconds. The
    // table's header is drawn while the first page loads; its rows once it has answered.
    const table = await screen.findByRole(
      'table',
      { name: 'Services' },
      { timeout: 15_000 },
    );
    expect(
      await within(table).findByRole(
        'link',
        { name: 'payments-api' },
        { timeout: 15_000 },
      ),
    ).toBeInTheDocument();
    // The page loader asks for it while the dashboard's code loads; the dashboard shows that answer.
    expect(pages).toBe(1);
  }, 30_000);

  it('gives the page a title and an icon, which make its nav item', () => {
    const tester = createExtensionTester(serviceInsightsPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/service-insights');
    expect(tester.get(coreExtensionData.title)).toBe('Service insights');
    expect(tester.get(coreExtensionData.icon)).toBeDefined();
  });

  it('has stable extension ids for app-config overrides', () => {
    for (const id of [
      'api:service-insights',
      'entity-card:service-insights',
      'page:service-insights',
      'scaffolder-form-field:service-insights/cost-tags',
    ]) {
      expect(serviceInsightsPlugin.getExtension(id as any)).toBeDefined();
    }
  });

  it('provides the API', () => {
    const factory = createExtensionTester(serviceInsightsApi).get(
      ApiBlueprint.dataRefs.factory,
    );
    expect(factory.api.id).toBe(serviceInsightsApiRef.id);
  });

  it('provides the CostTags form field to the scaffolder', async () => {
    const loader = createExtensionTester(costTagsFormField).get(
      FormFieldBlueprint.dataRefs.formFieldLoader,
    );
    const field = await loader();
    expect(field.$$type).toBe('@backstage/scaffolder/FormField');
  });

  it('provides the SecretValues form field to the scaffolder', async () => {
    const loader = createExtensionTester(secretValuesFormField).get(
      FormFieldBlueprint.dataRefs.formFieldLoader,
    );
    const field = await loader();
    expect(field.$$type).toBe('@backstage/scaffolder/FormField');
  });
});
