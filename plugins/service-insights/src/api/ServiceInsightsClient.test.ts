import {
  MockFetchApi,
  mockApis,
  registerMswTestHooks,
} from '@backstage/test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  BASE_URL,
  FILTER_OPTIONS,
  ROLLUPS,
  insight,
  listResponse,
} from '../__testUtils__/fixtures';
import { ServiceInsightsClient } from './ServiceInsightsClient';

const server = setupServer();
registerMswTestHooks(server);

function client() {
  return new ServiceInsightsClient({
    discoveryApi: mockApis.discovery(),
    fetchApi: new MockFetchApi({ injectIdentityAuth: { token: 'user-token' } }),
  });
}

/** Records the requests the handler sees. */
function capture(path: string, respond: () => Response) {
  const requests: Request[] = [];
  server.use(
    http.get(`${BASE_URL}${path}`, ({ request }) => {
      requests.push(request);
      return respond();
    }),
  );
  return requests;
}

describe('ServiceInsightsClient', () => {
  it('lists services with every filter, the sort and the page as query parameters, sending the user token', async () => {
    const requests = capture('/services', () =>
      HttpResponse.json(listResponse()),
    );

    const response = await client().listServices({
      types: ['service', 'worker'],
      team: 'group:default/team-payments',
      costCenters: ['CC-1001'],
      environments: ['prod'],
      lifecycles: ['production'],
      compliance: ['noncompliant'],
      q: 'pay ments',
      sort: 'costCenter',
      order: 'desc',
      page: 2,
      pageSize: 50,
    });

    expect(response.items[0].name).toBe('payments-api');
    const url = new URL(requests[0].url);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      type: 'service,worker',
      team: 'group:default/team-payments',
      costCenter: 'CC-1001',
      environment: 'prod',
      lifecycle: 'production',
      compliance: 'noncompliant',
      q: 'pay ments',
      sort: 'costCenter',
      order: 'desc',
      page: '2',
      pageSize: '50',
    });
    expect(requests[0].headers.get('authorization')).toBe('Bearer user-token');
  });

  it('leaves out unset and empty filters', async () => {
    const requests = capture('/services', () =>
      HttpResponse.json(listResponse()),
    );
    await client().listServices({ team: '', q: '  ', types: [] });
    expect(new URL(requests[0].url).search).toBe('');
  });

  it('sends only the filters to /rollups, not sort or page', async () => {
    const requests = capture('/rollups', () => HttpResponse.json(ROLLUPS));
    const rollups = await client().getRollups({
      team: 'group:default/engineering',
      compliance: ['missing-tags'],
      ...({ sort: 'name', page: 3 } as object),
    });
    expect(rollups.totals.services).toBe(7);
    expect(Object.fromEntries(new URL(requests[0].url).searchParams)).toEqual({
      team: 'group:default/engineering',
      compliance: 'missing-tags',
    });
  });

  it('exports CSV for the filters and the sort, without the page', async () => {
    const requests = capture(
      '/services/export.csv',
      () =>
        new HttpResponse(
          'name,owner\npayments-api,group:default/team-payments\n',
          {
            headers: { 'Content-Type': 'text/csv' },
          },
        ),
    );
    const blob = await client().exportServicesCsv({
      environments: ['prod'],
      sort: 'owner',
      order: 'asc',
      ...({ page: 4, pageSize: 10 } as object),
    });
    expect(await blob.text()).toContain('payments-api');
    expect(Object.fromEntries(new URL(requests[0].url).searchParams)).toEqual({
      environment: 'prod',
      sort: 'owner',
      order: 'asc',
    });
    expect(requests[0].headers.get('accept')).toBe('text/csv');
  });

  it('fetches one entity by its ref, encoded', async () => {
    const requests = capture('/entity', () => HttpResponse.json(insight()));
    const result = await client().getEntityInsight(
      'component:default/payments-api',
    );
    expect(result.owner.displayName).toBe('Payments');
    expect(new URL(requests[0].url).searchParams.get('ref')).toBe(
      'component:default/payments-api',
    );
    expect(requests[0].url).toContain('ref=component%3Adefault%2Fpayments-api');
  });

  it('fetches the filter options', async () => {
    capture('/filters', () => HttpResponse.json(FILTER_OPTIONS));
    await expect(client().getFilterOptions()).resolves.toEqual(FILTER_OPTIONS);
  });

  it('rejects with a ResponseError carrying the status on non-2xx', async () => {
    capture('/entity', () =>
      HttpResponse.json(
        { error: { name: 'NotFoundError', message: 'No such entity' } },
        { status: 404 },
      ),
    );
    await expect(
      client().getEntityInsight('component:default/hidden'),
    ).rejects.toMatchObject({ name: 'ResponseError', statusCode: 404 });
  });

  it('sends identical requests under way at the same time once, and asks again once they have answered', async () => {
    const requests = capture('/services', () =>
      HttpResponse.json(listResponse()),
    );
    const api = client();

    const [first, second, otherPage] = await Promise.all([
      api.listServices({ team: 'group:default/team-payments' }),
      api.listServices({ team: 'group:default/team-payments' }),
      api.listServices({ team: 'group:default/team-payments', page: 2 }),
    ]);
    expect(second).toBe(first);
    expect(otherPage).not.toBe(first);
    expect(requests.map(r => new URL(r.url).search)).toEqual([
      '?team=group%3Adefault%2Fteam-payments',
      '?team=group%3Adefault%2Fteam-payments&page=2',
    ]);

    // Nothing is kept once answered: the next visit reads fresh data.
    await api.listServices({ team: 'group:default/team-payments' });
    expect(requests).toHaveLength(3);
  });

  it('shares a failure between identical requests and does not keep it', async () => {
    let status = 503;
    const requests = capture('/filters', () =>
      status === 200
        ? HttpResponse.json(FILTER_OPTIONS)
        : HttpResponse.json(
            { error: { name: 'ServiceUnavailable', message: 'try later' } },
            { status },
          ),
    );
    const api = client();
    const results = await Promise.allSettled([
      api.getFilterOptions(),
      api.getFilterOptions(),
    ]);
    expect(results.map(r => r.status)).toEqual(['rejected', 'rejected']);
    expect(requests).toHaveLength(1);

    status = 200;
    await expect(api.getFilterOptions()).resolves.toEqual(FILTER_OPTIONS);
    expect(requests).toHaveLength(2);
  });
});
