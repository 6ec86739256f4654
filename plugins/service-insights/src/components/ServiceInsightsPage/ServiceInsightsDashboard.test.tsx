import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  TestApiProvider,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/test-utils';
import { ServiceInsight } from '@golden-path/common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { useLocation } from 'react-router-dom';
import { testApis } from '../../__testUtils__/apis';
import {
  BASE_URL,
  FILTER_OPTIONS,
  ROLLUPS,
  insight,
  listResponse,
  trendResponse,
} from '../../__testUtils__/fixtures';
import { ServiceInsightsApi, serviceInsightsApiRef } from '../../api';
import { ServiceInsightsDashboard } from './ServiceInsightsDashboard';
import { FirstPageRequest } from './firstPage';

// eslint-disable-next-line no-script-url -- the tests prove such a URL never becomes a link
const SCRIPT_URL = 'javascript:alert(1)';

const server = setupServer();
registerMswTestHooks(server);

type Seen = Record<'services' | 'rollups' | 'export', URLSearchParams[]>;

/** Serves the backend and records the query parameters of every request. */
function serveBackend(
  items: ServiceInsight[] = [insight()],
  totalItems = items.length,
): Seen {
  const seen: Seen = { services: [], rollups: [], export: [] };
  server.use(
    http.get(`${BASE_URL}/services`, ({ request }) => {
      const params = new URL(request.url).searchParams;
      seen.services.push(params);
      return HttpResponse.json(
        listResponse(
          items,
          Number(params.get('page') ?? 1),
          Number(params.get('pageSize') ?? 25),
          totalItems,
        ),
      );
    }),
    http.get(`${BASE_URL}/services/export.csv`, ({ request }) => {
      seen.export.push(new URL(request.url).searchParams);
      return new HttpResponse('name\npayments-api\n', {
        headers: { 'Content-Type': 'text/csv' },
      });
    }),
    http.get(`${BASE_URL}/rollups`, ({ request }) => {
      seen.rollups.push(new URL(request.url).searchParams);
      return HttpResponse.json(ROLLUPS);
    }),
    http.get(`${BASE_URL}/filters`, () => HttpResponse.json(FILTER_OPTIONS)),
    http.get(`${BASE_URL}/trends`, () =>
      HttpResponse.json(
        trendResponse({ scope: 'total', key: 'total', title: 'All services' }),
      ),
    ),
    // No trace query API configured (TraceIdBox.test.tsx covers the owners of a trace).
    http.get(`${BASE_URL}/traces/:traceId/owners`, ({ params }) =>
      HttpResponse.json({
        traceId: params.traceId,
        backends: [],
        services: [],
      }),
    ),
  );
  return seen;
}

function LocationProbe() {
  return <output aria-label="URL query">{useLocation().search}</output>;
}

async function renderDashboard(
  search = '',
  options: {
    apis?: ReturnType<typeof testApis>;
    firstPage?: FirstPageRequest;
  } = {},
) {
  const rendered = await renderInTestApp(
    <TestApiProvider apis={options.apis ?? testApis()}>
      <ServiceInsightsDashboard firstPage={options.firstPage} />
      <LocationProbe />
    </TestApiProvider>,
    {
      routeEntries: [`/service-insights${search}`],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
  // The table's header is drawn while the first page loads; the filters, export and pagination once it is painted.
  await screen.findByRole('table', { name: 'Services' });
  // The first test of the file renders on a cold module cache: seconds on a busy machine.
  await screen.findByRole(
    'button',
    { name: 'Export CSV' },
    { timeout: 10_000 },
  );
  return rendered;
}

/** The client the dashboard of `apis` asks. */
const clientOf = (apis: ReturnType<typeof testApis>) =>
  apis.find(([ref]) => ref === serviceInsightsApiRef)![1] as ServiceInsightsApi;

const componentLinks = () =>
  within(screen.getByRole('table', { name: 'Services' }))
    .getAllByRole('link')
    .filter(link => link.getAttribute('href')?.includes('/component/'))
    .map(link => link.textContent);

const last = (requests: URLSearchParams[]) =>
  Object.fromEntries(requests[requests.length - 1]);

const urlQuery = () =>
  Object.fromEntries(
    new URLSearchParams(
      screen.getByRole('status', { name: 'URL query' }).textContent ?? '',
    ),
  );

// These tests click and type through MUI forms in jsdom (user-event): seconds per test on a loaded 2-core machine or
// a cold transform cache, which Jest's 5 s default does not allow for. A hang guard, not a performance check.
jest.setTimeout(30_000);

describe('ServiceInsightsDashboard', () => {
  it('loads the view a shared URL describes', async () => {
    const seen = serveBackend();
    await renderDashboard(
      '?team=group:default/team-payments&compliance=noncompliant&type=worker&sort=owner&order=desc&page=2',
    );

    expect(last(seen.services)).toEqual({
      team: 'group:default/team-payments',
      compliance: 'noncompliant',
      type: 'worker',
      sort: 'owner',
      order: 'desc',
      page: '2',
    });
    // Roll-ups cover the filters, not the page or the sort.
    expect(last(seen.rollups)).toEqual({
      team: 'group:default/team-payments',
      compliance: 'noncompliant',
      type: 'worker',
    });
    await waitFor(() =>
      expect(screen.getByLabelText('Team')).toHaveValue(
        'group:default/team-payments',
      ),
    );
    expect(screen.getByLabelText('Compliance')).toHaveValue('noncompliant');
    expect(screen.getByRole('checkbox', { name: 'worker' })).toBeChecked();
    expect(screen.getByRole('checkbox', { name: 'service' })).not.toBeChecked();
  });

  it('sends the chosen filters and puts them in the URL, back on page one', async () => {
    const seen = serveBackend();
    await renderDashboard('?page=3');
    await screen.findByRole('option', { name: 'CC-2002' });

    await userEvent.selectOptions(
      screen.getByLabelText('Cost center'),
      'CC-2002',
    );
    await userEvent.selectOptions(screen.getByLabelText('Environment'), 'prod');
    await userEvent.selectOptions(
      screen.getByLabelText('Lifecycle'),
      'production',
    );
    await userEvent.selectOptions(
      screen.getByLabelText('Compliance'),
      'missing-tags',
    );
    await userEvent.selectOptions(
      screen.getByLabelText('Team'),
      'group:default/team-payments',
    );
    await userEvent.click(screen.getByRole('checkbox', { name: 'service' }));
    await userEvent.click(screen.getByRole('checkbox', { name: 'worker' }));
    await userEvent.type(screen.getByLabelText('Search'), 'ledger{Enter}');

    const expected = {
      costCenter: 'CC-2002',
      environment: 'prod',
      lifecycle: 'production',
      compliance: 'missing-tags',
      team: 'group:default/team-payments',
      type: 'service,worker',
      q: 'ledger',
    };
    await waitFor(() => expect(last(seen.services)).toEqual(expected));
    expect(last(seen.rollups)).toEqual(expected);
    expect(urlQuery()).toEqual(expected);
  });

  it('searches once the user stops typing', async () => {
    const seen = serveBackend();
    await renderDashboard('?team=group:default/engineering');

    await userEvent.type(screen.getByLabelText('Search'), 'pay');

    await waitFor(
      () =>
        expect(last(seen.services)).toEqual({
          team: 'group:default/engineering',
          q: 'pay',
        }),
      { timeout: 10_000 },
    );
    expect(urlQuery()).toEqual({ team: 'group:default/engineering', q: 'pay' });
    // One request for the finished word, not one per key.
    expect(seen.services.filter(params => params.has('q'))).toHaveLength(1);
  });

  it('lists teams with their child teams beneath them', async () => {
    serveBackend();
    await renderDashboard();
    const team = screen.getByLabelText('Team');
    await within(team).findByRole('option', { name: 'Engineering' });
    expect(
      within(team)
        .getAllByRole('option')
        .map(option => option.textContent),
    ).toEqual(['All', 'Engineering', '\u00a0\u00a0Payments']);
  });

  it('sorts on the server when a column header is clicked', async () => {
    const seen = serveBackend();
    await renderDashboard();

    await userEvent.click(screen.getByRole('button', { name: 'Owner' }));
    await waitFor(() =>
      expect(last(seen.services)).toEqual({ sort: 'owner', order: 'asc' }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Owner' }));
    await waitFor(() =>
      expect(last(seen.services)).toEqual({ sort: 'owner', order: 'desc' }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Cost tags' }));
    await waitFor(() =>
      expect(last(seen.services)).toEqual({
        sort: 'costCenter',
        order: 'asc',
      }),
    );
    expect(urlQuery()).toEqual({ sort: 'costCenter', order: 'asc' });
  });

  it('pages on the server', async () => {
    const seen = serveBackend([insight()], 60);
    await renderDashboard('?environment=prod');
    expect(screen.getByText('1-25 of 60')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() =>
      expect(last(seen.services)).toEqual({ environment: 'prod', page: '2' }),
    );
    expect(await screen.findByText('26-50 of 60')).toBeInTheDocument();
    // Paging alone does not reload the roll-ups.
    expect(seen.rollups).toHaveLength(1);
  });

  it('downloads CSV for the current filters and sort', async () => {
    const seen = serveBackend();
    const createObjectURL = jest.fn((_: Blob) => 'blob:services');
    const revokeObjectURL = jest.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(() => {});
    try {
      await renderDashboard(
        '?costCenter=CC-1001&compliance=invalid-tags&sort=system&order=desc&page=2&pageSize=10',
      );
      await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));

      await waitFor(() => expect(click).toHaveBeenCalled());
      expect(last(seen.export)).toEqual({
        costCenter: 'CC-1001',
        compliance: 'invalid-tags',
        sort: 'system',
        order: 'desc',
      });
      const blob = createObjectURL.mock.calls[0][0];
      expect(await blob.text()).toContain('payments-api');
    } finally {
      click.mockRestore();
    }
  });

  it('shows roll-ups per team and per cost center, and the totals', async () => {
    serveBackend();
    await renderDashboard();
    const byTeam = within(
      await screen.findByRole('table', { name: 'By team' }),
    );
    const payments = within(byTeam.getByRole('row', { name: /Payments/ }));
    expect(payments.getByText('4')).toBeInTheDocument();
    expect(payments.getByText('75% (3/4)')).toBeInTheDocument();
    expect(payments.getByText('50% (2/4)')).toBeInTheDocument();
    expect(
      payments.getByRole('progressbar', { name: 'Payments: fully tagged' }),
    ).toHaveAttribute('aria-valuenow', '75');

    const byCostCenter = within(
      screen.getByRole('table', { name: 'By cost center' }),
    );
    const cc = within(byCostCenter.getByRole('row', { name: /CC-1001/ }));
    expect(cc.getByText('33% (1/3)')).toBeInTheDocument();
    expect(cc.getByText('100% (3/3)')).toBeInTheDocument();
    expect(cc.getByText('1')).toBeInTheDocument();

    const totals = within(screen.getByLabelText('Totals'));
    expect(totals.getByText('7')).toBeInTheDocument();
    expect(totals.getByText('57% (4)')).toBeInTheDocument();
    expect(totals.getByText('71% (5)')).toBeInTheDocument();
    expect(totals.getByText('2')).toBeInTheDocument();
  });

  it('draws every row of a full page (the first ones a frame before the rest)', async () => {
    const names = Array.from(
      { length: 25 },
      (_, i) => `service-${String(i + 1).padStart(2, '0')}`,
    );
    serveBackend(
      names.map(name =>
        insight({ entityRef: `component:default/${name}`, name }),
      ),
      60,
    );
    await renderDashboard();
    await waitFor(() => expect(componentLinks()).toEqual(names));
    expect(screen.getByText('1-25 of 60')).toBeInTheDocument();
  });

  it('pages a long roll-up ten rows at a time', async () => {
    serveBackend();
    const teams = Array.from({ length: 23 }, (_, i) => ({
      ...ROLLUPS.byTeam[0],
      key: `group:default/team-${String(i + 1).padStart(2, '0')}`,
      title: `Team ${String(i + 1).padStart(2, '0')}`,
    }));
    server.use(
      http.get(`${BASE_URL}/rollups`, () =>
        HttpResponse.json({ ...ROLLUPS, byTeam: teams }),
      ),
    );
    await renderDashboard();
    const table = await screen.findByRole('table', { name: 'By team' });
    const byTeam = within(table);
    // The card around the table holds its pagination.
    const card = within(table.parentElement!);
    const shownTeams = () =>
      byTeam
        .getAllByRole('row')
        .slice(1)
        .map(row => within(row).getAllByRole('cell')[0].textContent);
    expect(shownTeams()).toEqual(teams.slice(0, 10).map(t => t.title));
    expect(card.getByText('1-10 of 23')).toBeInTheDocument();

    await userEvent.click(card.getByRole('button', { name: 'Next page' }));
    expect(shownTeams()).toEqual(teams.slice(10, 20).map(t => t.title));
    expect(card.getByText('11-20 of 23')).toBeInTheDocument();
    // The cost centers have fewer rows than a page: no pagination there.
    expect(
      within(
        screen.getByRole('table', { name: 'By cost center' }),
      ).getAllByRole('row'),
    ).toHaveLength(1 + ROLLUPS.byCostCenter.length);
  });

  it('shows how compliance of all services moved over 90 days', async () => {
    const asked: string[] = [];
    serveBackend();
    server.use(
      http.get(`${BASE_URL}/trends`, ({ request }) => {
        asked.push(new URL(request.url).search);
        return HttpResponse.json(
          trendResponse({
            scope: 'total',
            key: 'total',
            title: 'All services',
            days: 90,
          }),
        );
      }),
    );
    await renderDashboard();
    expect(
      await screen.findByText('All services: 60 % → 85 % tagged in 30 days'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('img', { name: /^Compliance over 90 days/ }),
    ).toBeInTheDocument();
    expect(asked).toEqual(['?days=90']);
  });

  it('shows owner problems and never links unsafe trace URLs', async () => {
    serveBackend([
      insight({
        entityRef: 'component:default/ledger-api',
        name: 'ledger-api',
        owner: { ref: 'group:default/ghosts', resolved: false, parents: [] },
        compliance: 'invalid-tags',
        costTags: [
          {
            tag: 'cost-center',
            value: '<script>alert(1)</script>',
            status: 'invalid',
            message: 'cost-center "<script>alert(1)</script>" must match',
          },
        ],
        tracing: {
          serviceName: 'ledger-api',
          links: [{ backend: 'jaeger', title: 'Jaeger', url: SCRIPT_URL }],
        },
      }),
    ]);
    await renderDashboard();
    const row = within(screen.getByRole('row', { name: /ledger-api/ }));

    expect(
      row.getByText('group:default/ghosts (not in the catalog)'),
    ).toBeInTheDocument();
    expect(row.getByText('<script>alert(1)</script>')).toBeInTheDocument();
    expect(row.getByText('Invalid tags')).toBeInTheDocument();
    expect(row.getByText('Jaeger')).toBeInTheDocument();
    expect(row.queryByRole('link', { name: 'Jaeger' })).not.toBeInTheDocument();
    expect(document.querySelector(`a[href="${SCRIPT_URL}"]`)).toBeNull();
  });

  it('links a pasted trace id to every tracing backend', async () => {
    serveBackend();
    await renderDashboard();
    const traceId = '4BF92F3577B34DA6A3CE929D0E0E4736';

    await userEvent.type(screen.getByLabelText('Trace ID'), traceId);

    const links = within(
      screen.getByRole('list', { name: 'Links to this trace' }),
    );
    expect(links.getByRole('link', { name: 'Open in Jaeger' })).toHaveAttribute(
      'href',
      'https://jaeger.example.com/trace/4bf92f3577b34da6a3ce929d0e0e4736',
    );
    const tempo = links.getByRole('link', { name: 'Open in Grafana Tempo' });
    const panes = new URL(tempo.getAttribute('href')!).searchParams.get(
      'panes',
    );
    expect(JSON.parse(panes!).a.queries[0].query).toBe(
      '4bf92f3577b34da6a3ce929d0e0e4736',
    );
  });

  it('says why an invalid trace id cannot be linked', async () => {
    serveBackend();
    await renderDashboard();

    await userEvent.type(screen.getByLabelText('Trace ID'), 'not-a-trace');

    expect(
      screen.getByText(
        /"not-a-trace" is not a trace id: a trace id is 32 hexadecimal digits/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('list', { name: 'Links to this trace' }),
    ).not.toBeInTheDocument();

    await userEvent.clear(screen.getByLabelText('Trace ID'));
    await userEvent.type(
      screen.getByLabelText('Trace ID'),
      '00000000000000000000000000000000',
    );
    expect(screen.getByText(/is not a trace id/)).toBeInTheDocument();
  });
});

describe('ServiceInsightsDashboard: the first page asked for by the page loader', () => {
  it('draws the page the loader asked for, without asking again', async () => {
    const seen = serveBackend();
    const apis = testApis();
    const firstPage = new FirstPageRequest(
      clientOf(apis),
      '?order=desc&sort=owner',
    );
    await renderDashboard('?sort=owner&order=desc', { apis, firstPage });

    expect(componentLinks()).toEqual(['payments-api']);
    expect(seen.services.map(params => Object.fromEntries(params))).toEqual([
      { sort: 'owner', order: 'desc' },
    ]);
  });

  it('asks for the view in the URL when the loader asked for another one', async () => {
    const seen = serveBackend();
    const apis = testApis();
    const firstPage = new FirstPageRequest(clientOf(apis), '?sort=owner');
    await renderDashboard('?sort=system', { apis, firstPage });

    expect(componentLinks()).toEqual(['payments-api']);
    expect(last(seen.services)).toEqual({ sort: 'system' });
  });

  it("asks again on a later visit: the loader's page may be out of date by then", async () => {
    const seen = serveBackend();
    const apis = testApis();
    const firstPage = new FirstPageRequest(clientOf(apis), '');
    const first = await renderDashboard('', { apis, firstPage });
    expect(seen.services).toHaveLength(1);
    first.unmount();

    await renderDashboard('', { apis, firstPage });
    expect(componentLinks()).toEqual(['payments-api']);
    expect(seen.services).toHaveLength(2);
  });
});

describe('ServiceInsightsDashboard: what runs', () => {
  it('asks once per page what runs and shows a chip per environment with a cluster, drift included', async () => {
    serveBackend([insight()]);
    const asked: string[][] = [];
    server.use(
      http.get(`${BASE_URL}/runtime`, ({ request }) => {
        asked.push(new URL(request.url).searchParams.getAll('ref'));
        return HttpResponse.json({
          items: [
            {
              entityRef: 'component:default/payments-api',
              found: true,
              environments: [
                {
                  environment: 'dev',
                  state: 'running',
                  clusters: ['dev'],
                  desiredReplicas: 1,
                  readyReplicas: 1,
                  problems: [],
                },
                {
                  environment: 'staging',
                  state: 'no-cluster',
                  clusters: [],
                  desiredReplicas: 0,
                  readyReplicas: 0,
                  problems: [],
                },
                {
                  environment: 'prod',
                  state: 'running',
                  clusters: ['prod'],
                  desiredReplicas: 3,
                  readyReplicas: 3,
                  problems: [
                    {
                      object: 'prod Deployment payments-api',
                      message:
                        'prod Deployment payments-api lacks label team (the catalog says team-payments)',
                      fix: 'flux reconcile kustomization payments-api-prod --with-source',
                    },
                  ],
                },
              ],
            },
          ],
        });
      }),
    );
    await renderDashboard();
    const table = within(screen.getByRole('table', { name: 'Services' }));
    expect(await table.findByText('dev · Running')).toBeInTheDocument();
    const prod = table.getByText('prod · Drift');
    expect(prod.closest('[title]')).toHaveAttribute(
      'title',
      'prod Deployment payments-api lacks label team (the catalog says team-payments)',
    );
    expect(table.queryByText(/staging/)).not.toBeInTheDocument();
    expect(asked).toEqual([['component:default/payments-api']]);
  });

  it('says the runtime is unavailable when the backend cannot tell, and keeps the rest of the row', async () => {
    serveBackend([insight()]);
    server.use(
      http.get(`${BASE_URL}/runtime`, () =>
        HttpResponse.json(
          { error: { name: 'Error', message: 'boom' } },
          { status: 500 },
        ),
      ),
    );
    await renderDashboard();
    const table = within(screen.getByRole('table', { name: 'Services' }));
    expect(await table.findByText('Unavailable')).toBeInTheDocument();
    expect(table.getByText('Compliant')).toBeInTheDocument();
  });
});
