import { mockCredentials } from '@backstage/backend-test-utils';
import {
  FilterOptionsResponse,
  RollupsResponse,
  ServiceInsight,
  ServiceListResponse,
} from '@golden-path/common';
import { sampleInsight } from '@golden-path/common/testUtils';
import request from 'supertest';
import { startCatalogTestBackend } from './__testUtils__/catalogTestBackend';
import { exampleOrg } from './__testUtils__/exampleOrg';

// Integration: the real catalog backend on SQLite in memory, fed from a file location, the real permission backend
// with a policy that hides entities annotated `test/secret` from users named guest*, and this plugin.

jest.setTimeout(60_000);

const GUEST = 'user:default/guest';
const ADMIN = 'user:default/admin';

let server: Parameters<typeof request>[0];

beforeAll(async () => {
  ({ server } = await startCatalogTestBackend(exampleOrg));
});

function get(path: string, user: string | null = GUEST) {
  const req = request(server).get(`/api/service-insights${path}`);
  return user === null
    ? req
    : req.set('Authorization', mockCredentials.user.header(user));
}

async function names(path: string, user: string = GUEST): Promise<string[]> {
  const res = await get(path, user);
  expect(res.status).toBe(200);
  return (res.body as ServiceListResponse).items.map(item => item.name);
}

// Every component of examples/*.yaml and the test overlay but vault-api, which the policy hides from guests.
const GUEST_VISIBLE = [
  'checkout-worker',
  'csv-probe',
  'developer-portal',
  'fraud-rules',
  'fraud-scorer',
  'indexer-worker',
  'ledger-api',
  'legacy-reports',
  'otel-collector',
  'payments-api',
  'recommendations-api',
  'runbooks',
  'search-api',
  'stealth-api',
];

describe('authentication', () => {
  it.each([
    '/services',
    '/services/export.csv',
    '/rollups',
    '/entity?ref=payments-api',
    '/filters',
    '/secrets?ref=payments-api',
    '/trends',
  ])('refuses %s without credentials', async path => {
    const res = await get(path, null);
    expect(res.status).toBe(401);
  });

  it('serves services calling with their own credentials', async () => {
    const res = await request(server)
      .get('/api/service-insights/services?pageSize=200')
      .set('Authorization', mockCredentials.service.header());
    expect(res.status).toBe(200);
    expect(res.body.totalItems).toBe(GUEST_VISIBLE.length + 1);
  });
});

describe('GET /services', () => {
  it('lists the components the user may see, sorted by name', async () => {
    const res = await get('/services?pageSize=200');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.body).toMatchObject({
      totalItems: GUEST_VISIBLE.length,
      page: 1,
      pageSize: 200,
    });
    expect(res.body.items.map((i: ServiceInsight) => i.name)).toEqual(
      GUEST_VISIBLE,
    );
    expect(await names('/services?pageSize=200', ADMIN)).toEqual(
      [...GUEST_VISIBLE, 'vault-api'].sort(),
    );
  });

  it('pages with totals, and answers an empty page past the end', async () => {
    // 14 services in pages of 4: the fourth page holds the last two.
    const res = await get('/services?pageSize=4&page=4');
    expect(res.body).toEqual({
      items: expect.any(Array),
      totalItems: GUEST_VISIBLE.length,
      page: 4,
      pageSize: 4,
    });
    expect(res.body.items.map((i: ServiceInsight) => i.name)).toEqual([
      'search-api',
      'stealth-api',
    ]);
    expect((await get('/services?pageSize=4&page=5')).body).toMatchObject({
      items: [],
      totalItems: GUEST_VISIBLE.length,
    });
    expect((await get('/services')).body.pageSize).toBe(25);
  });

  it('includes child teams in the team filter', async () => {
    // fraud-rules belongs to squad-fraud, below team-payments.
    expect(await names('/services?team=team-payments')).toEqual([
      'checkout-worker',
      'fraud-rules',
      'fraud-scorer',
      'ledger-api',
      'payments-api',
    ]);
    expect(await names('/services?team=group:default/squad-fraud')).toEqual([
      'fraud-rules',
    ]);
    // The guest may not see team-secret, so cannot place stealth-api under engineering; the admin can. Neither the
    // user-owned runbooks nor legacy-reports (its group does not exist) sits under engineering.
    expect(await names('/services?team=engineering&pageSize=100')).toEqual([
      'checkout-worker',
      'csv-probe',
      'developer-portal',
      'fraud-rules',
      'fraud-scorer',
      'indexer-worker',
      'ledger-api',
      'otel-collector',
      'payments-api',
      'recommendations-api',
      'search-api',
    ]);
    expect(
      await names('/services?team=engineering&pageSize=100', ADMIN),
    ).toEqual(
      expect.arrayContaining(['stealth-api', 'vault-api', 'payments-api']),
    );
    expect(await names('/services?team=team-nobody')).toEqual([]);
  });

  it('filters on compliance', async () => {
    expect(await names('/services?compliance=noncompliant')).toEqual([
      'fraud-scorer',
      'ledger-api',
      'legacy-reports',
      'recommendations-api',
    ]);
    expect(await names('/services?compliance=invalid-tags')).toEqual([
      'fraud-scorer',
    ]);
    expect(await names('/services?compliance=missing-tags')).toEqual([
      'ledger-api',
      'legacy-reports',
      'recommendations-api',
    ]);
  });

  it('filters on type, lifecycle, cost center, environment and free text', async () => {
    expect(await names('/services?type=worker,website')).toEqual([
      'checkout-worker',
      'developer-portal',
      'fraud-rules',
      'fraud-scorer',
      'indexer-worker',
      'runbooks',
    ]);
    expect(await names('/services?type=worker&type=website')).toEqual(
      await names('/services?type=worker,website'),
    );
    expect(await names('/services?lifecycle=experimental')).toEqual([
      'fraud-rules',
      'fraud-scorer',
      'recommendations-api',
    ]);
    // vault-api, also CC-1001, is hidden from the guest.
    expect(await names('/services?costCenter=CC-1001')).toEqual([
      'checkout-worker',
      'fraud-rules',
      'payments-api',
    ]);
    expect(await names('/services?environment=staging')).toEqual([
      'otel-collector',
    ]);
    // Name, owner ref or display name, description, system.
    expect(await names('/services?q=payments')).toEqual([
      'checkout-worker',
      'fraud-scorer',
      'ledger-api',
      'payments-api',
    ]);
    expect(await names('/services?q=Checkout%20WORKER')).toEqual([
      'checkout-worker',
    ]);
    expect(
      await names(
        '/services?type=service&lifecycle=production&team=team-payments',
      ),
    ).toEqual(['ledger-api', 'payments-api']);
  });

  it('sorts, with services lacking the value last in either order', async () => {
    // Ties by name; '1001' sorts below every CC-; ledger-api and legacy-reports have no cost center.
    expect(await names('/services?sort=costCenter&order=desc')).toEqual([
      'stealth-api',
      'csv-probe',
      'developer-portal',
      'otel-collector',
      'runbooks',
      'recommendations-api',
      'indexer-worker',
      'search-api',
      'checkout-worker',
      'fraud-rules',
      'payments-api',
      'fraud-scorer',
      'ledger-api',
      'legacy-reports',
    ]);
    expect(await names('/services?sort=system')).toEqual([
      'checkout-worker',
      'fraud-rules',
      'fraud-scorer',
      'ledger-api',
      'payments-api',
      'indexer-worker',
      'recommendations-api',
      'search-api',
      'csv-probe',
      'developer-portal',
      'legacy-reports',
      'otel-collector',
      'runbooks',
      'stealth-api',
    ]);
    expect(
      (await names('/services?sort=compliance&order=desc')).slice(0, 4),
    ).toEqual([
      'ledger-api',
      'legacy-reports',
      'recommendations-api',
      'fraud-scorer',
    ]);
    expect((await names('/services?sort=owner')).slice(0, 3)).toEqual([
      'fraud-rules', // Fraud squad
      'runbooks', // Grace Hopper
      'legacy-reports', // group:default/team-legacy (unresolved)
    ]);
  });

  it.each([
    ['pageSize=0', 'pageSize must be between 1 and 200, got "0"'],
    ['pageSize=201', 'pageSize must be between 1 and 200, got "201"'],
    ['pageSize=ten', 'pageSize must be between 1 and 200, got "ten"'],
    ['page=0', 'page must be a whole number of at least 1, got "0"'],
    [
      'sort=size',
      'sort must be one of name, owner, system, lifecycle, compliance, costCenter, got "size"',
    ],
    ['order=up', 'order must be one of asc, desc, got "up"'],
    [
      'compliance=compliant,broken',
      'compliance must be one of compliant, noncompliant, missing-tags, invalid-tags, got "broken"',
    ],
    [
      'team=component:default/payments-api',
      'team must be a group entity ref such as group:default/team-payments, got "component:default/payments-api"',
    ],
    ['q=a&q=b', 'q must be given at most once, as plain text'],
    ['type[a]=b', 'type must be text, repeated or comma-separated'],
    [
      'colour=red',
      'colour is not a known parameter; expected type, team, costCenter, environment, lifecycle, compliance, q, sort, order, page, pageSize',
    ],
  ])('answers 400 for %s', async (query, message) => {
    const res = await get(`/services?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual(
      expect.objectContaining({ name: 'InputError', message }),
    );
  });
});

describe('GET /services/export.csv', () => {
  it('exports every matching row as an attachment', async () => {
    const res = await get('/services/export.csv?team=team-payments&sort=name');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="services.csv"',
    );
    expect(res.text.split('\r\n')).toEqual([
      'name,entityRef,owner,ownerResolved,system,lifecycle,compliance,team,cost-center,environment,product,tracingServiceName,traceLink',
      'checkout-worker,component:default/checkout-worker,group:default/team-payments,true,system:default/checkout,production,compliant,team-payments,CC-1001,prod,checkout,checkout-worker,http://localhost:16686/search?service=checkout-worker&lookback=1h',
      'fraud-rules,component:default/fraud-rules,group:default/squad-fraud,true,system:default/checkout,experimental,compliant,team-payments,CC-1001,prod,checkout,,',
      'fraud-scorer,component:default/fraud-scorer,group:default/team-payments,true,system:default/checkout,experimental,invalid-tags,team-payments,1001,prod,checkout,,',
      'ledger-api,component:default/ledger-api,group:default/team-payments,true,system:default/checkout,production,missing-tags,team-payments,,prod,checkout,ledger-api,http://localhost:16686/search?service=ledger-api&lookback=1h',
      'payments-api,component:default/payments-api,group:default/team-payments,true,system:default/checkout,production,compliant,team-payments,CC-1001,prod,checkout,payments-api,http://localhost:16686/search?service=payments-api&lookback=1h',
      '',
    ]);
  });

  it('escapes values and defuses formulas', async () => {
    const res = await get('/services/export.csv?q=probe');
    expect(res.text.split('\r\n')[1]).toBe(
      `csv-probe,component:default/csv-probe,group:default/team-platform,true,,'=1+2,compliant,team-platform,CC-3001,dev,observability,"'@probe, ""quoted""",http://localhost:16686/search?service=%40probe%2C%20%22quoted%22&lookback=1h`,
    );
  });

  it('leaves out what the user may not see, and refuses paging', async () => {
    const guest = await get('/services/export.csv');
    expect(guest.text.split('\r\n')).toHaveLength(GUEST_VISIBLE.length + 2);
    expect(guest.text).not.toContain('vault-api');
    expect((await get('/services/export.csv', ADMIN)).text).toContain(
      'vault-api',
    );
    const paged = await get('/services/export.csv?page=2');
    expect(paged.status).toBe(400);
    expect(paged.body.error.message).toMatch(/^page is not a known parameter/);
  });
});

describe('GET /rollups', () => {
  it('rolls up per owning team and per cost center, with shares', async () => {
    const res = await get('/rollups');
    expect(res.status).toBe(200);
    const body = res.body as RollupsResponse;
    // The guest's 14: all but ledger-api, recommendations-api, fraud-scorer and legacy-reports fully tagged (10);
    // all but fraud-rules, fraud-scorer, indexer-worker, otel-collector and legacy-reports traced (9); the owners of
    // legacy-reports (no such group) and stealth-api (team-secret, hidden) unresolved.
    expect(body.totals).toEqual(
      row('total', 'All services', GUEST_VISIBLE.length, 10, 9, 2),
    );
    expect(body.byTeam).toEqual([
      row('group:default/squad-fraud', 'Fraud squad', 1, 1, 0, 0),
      row('user:default/grace.hopper', 'Grace Hopper', 1, 1, 1, 0),
      row('group:default/team-legacy', 'group:default/team-legacy', 1, 0, 0, 1),
      row('group:default/team-secret', 'group:default/team-secret', 1, 1, 1, 1),
      row('group:default/team-payments', 'Payments', 4, 2, 3, 0),
      row('group:default/team-platform', 'Platform', 3, 3, 2, 0),
      row('group:default/team-search', 'Search', 3, 2, 2, 0),
    ]);
    expect(body.byCostCenter).toEqual([
      row('1001', '1001', 1, 0, 0, 0),
      row('CC-1001', 'CC-1001', 3, 3, 2, 0),
      row('CC-2001', 'CC-2001', 2, 2, 1, 0),
      row('CC-2002', 'CC-2002', 1, 0, 1, 0),
      row('CC-3001', 'CC-3001', 4, 4, 3, 0),
      row('CC-9001', 'CC-9001', 1, 1, 1, 1),
      row('(none)', '(none)', 2, 0, 1, 1),
    ]);
  });

  it('applies the filters and counts only what the user may see', async () => {
    // team-payments' four and its squad's fraud-rules; checkout-worker, payments-api and fraud-rules fully tagged.
    const guest = (await get('/rollups?team=team-payments')).body;
    expect(guest.totals).toMatchObject({ services: 5, fullyTagged: 3 });
    // The admin also counts vault-api (fully tagged, traced) under team-payments itself.
    const admin = (await get('/rollups?team=team-payments', ADMIN)).body;
    expect(admin.byTeam).toContainEqual(
      row('group:default/team-payments', 'Payments', 5, 3, 4, 0),
    );
    // The admin may see team-secret, so its service has a resolved owner.
    const all = (await get('/rollups', ADMIN)).body as RollupsResponse;
    expect(all.byTeam.find(r => r.key === 'group:default/team-secret')).toEqual(
      row('group:default/team-secret', 'Secret team', 1, 1, 1, 0),
    );
  });
});

describe('GET /entity', () => {
  it('answers one service in full', async () => {
    const res = await get('/entity?ref=component:default/payments-api');
    expect(res.status).toBe(200);
    // examples/components.yaml's payments-api, as the sample insight writes it out.
    expect(res.body).toEqual<ServiceInsight>(sampleInsight());
    // The same answer when the user's whole view is cached, and for a short ref.
    await get('/services');
    expect((await get('/entity?ref=payments-api')).body).toEqual(res.body);
  });

  it('names the template and version a service was created from', async () => {
    const res = await get('/entity?ref=fraud-rules');
    expect(res.body.template).toEqual({
      ref: 'template:default/node-worker',
      version: '1.2.0',
    });
  });

  it('walks the whole parent chain', async () => {
    const res = await get('/entity?ref=fraud-rules', 'user:default/fresh');
    expect(res.body.owner.parents).toEqual([
      { ref: 'group:default/team-payments', displayName: 'Payments' },
      { ref: 'group:default/engineering', displayName: 'Engineering' },
    ]);
  });

  it('answers 404 for what the user may not see or what does not exist', async () => {
    for (const user of ['user:default/guest-entity', GUEST]) {
      const hidden = await get('/entity?ref=component:default/vault-api', user);
      expect(hidden.status).toBe(404);
    }
    expect((await get('/entity?ref=vault-api', ADMIN)).status).toBe(200);
    expect((await get('/entity?ref=nothing-here')).status).toBe(404);
  });

  it.each([
    ['', 'ref is required'],
    [
      '?ref=api:default/payments',
      'ref must be a component entity ref such as component:default/payments-api, got "api:default/payments"',
    ],
  ])('answers 400 for %s', async (query, message) => {
    const res = await get(`/entity${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(message);
  });
});

describe('GET /filters', () => {
  it('offers the teams and values the user may see', async () => {
    const res = await get('/filters');
    expect(res.status).toBe(200);
    expect(res.body).toEqual<FilterOptionsResponse>({
      teams: [
        { ref: 'group:default/engineering', displayName: 'Engineering' },
        {
          ref: 'group:default/squad-fraud',
          displayName: 'Fraud squad',
          parent: 'group:default/team-payments',
        },
        {
          ref: 'group:default/team-payments',
          displayName: 'Payments',
          parent: 'group:default/engineering',
        },
        {
          ref: 'group:default/team-platform',
          displayName: 'Platform',
          parent: 'group:default/engineering',
        },
        {
          ref: 'group:default/team-search',
          displayName: 'Search',
          parent: 'group:default/engineering',
        },
      ],
      costCenters: [
        '1001',
        'CC-1001',
        'CC-2001',
        'CC-2002',
        'CC-3001',
        'CC-9001',
      ],
      environments: ['dev', 'prod', 'staging'],
      lifecycles: ['=1+2', 'deprecated', 'experimental', 'production'],
      types: ['service', 'website', 'worker'],
    });
    const admin = (await get('/filters', ADMIN)).body as FilterOptionsResponse;
    expect(admin.teams.map(t => t.ref)).toContain('group:default/team-secret');
  });

  it('takes no parameters', async () => {
    const res = await get('/filters?team=x');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'team is not a known parameter; expected none',
    );
  });
});

describe('GET /trends', () => {
  it("answers the day's snapshot of the total, a team and a cost center, recorded by the refresh", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const total = await get('/trends', ADMIN);
    expect(total.status).toBe(200);
    expect(total.body).toEqual({
      scope: 'total',
      key: 'total',
      title: 'All services',
      days: 30,
      // The guest's roll-up (see GET /rollups) plus vault-api, fully tagged and traced; team-secret resolves.
      points: [
        {
          day: today,
          services: 15,
          fullyTagged: 11,
          fullyTaggedShare: 0.7333,
          traced: 10,
          tracedShare: 0.6667,
          unresolvedOwner: 1,
        },
      ],
    });
    const team = await get(
      '/trends?team=group:default/team-payments&days=7',
      ADMIN,
    );
    expect(team.body).toMatchObject({
      scope: 'team',
      title: 'Payments',
      days: 7,
      // What team-payments owns itself: the four of GET /rollups' guest row and vault-api.
      points: [{ services: 5, fullyTagged: 3 }],
    });
    // checkout-worker, fraud-rules, payments-api and vault-api.
    const costCenter = await get('/trends?costCenter=CC-1001', ADMIN);
    expect(costCenter.body.points[0]).toMatchObject({ services: 4 });
  });

  it('refuses callers who may not read the whole catalog: a snapshot counts every component', async () => {
    const res = await get('/trends');
    expect(res.status).toBe(403);
    expect(res.body.error.name).toBe('NotAllowedError');
  });

  it.each([
    ['days=0', 'days must be between 1 and 90, got "0"'],
    ['days=91', 'days must be between 1 and 90, got "91"'],
    ['team=a&costCenter=b', 'give team or costCenter, not both'],
    [
      'colour=red',
      'colour is not a known parameter; expected team, costCenter, days',
    ],
  ])('answers 400 for %s', async (query, message) => {
    const res = await get(`/trends?${query}`, ADMIN);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(message);
  });
});

describe('caching per user', () => {
  it("never serves one user's cached view to another", async () => {
    const admin = 'user:default/admin-cache';
    const guest = 'user:default/guest-cache';
    // The admin's view is computed and cached first, then the guest asks for the same thing.
    expect(await names('/services?pageSize=200', admin)).toContain('vault-api');
    expect(await names('/services?pageSize=200', guest)).not.toContain(
      'vault-api',
    );
    expect((await get('/rollups', guest)).body.totals.services).toBe(
      GUEST_VISIBLE.length,
    );
    expect((await get('/services/export.csv', guest)).text).not.toContain(
      'vault-api',
    );
    expect(await names('/services?pageSize=200', admin)).toContain('vault-api');
  });
});

function row(
  key: string,
  title: string,
  services: number,
  fullyTagged: number,
  traced: number,
  unresolvedOwner: number,
) {
  const share = (n: number) => Math.round((n / services) * 10_000) / 10_000;
  return {
    key,
    title,
    services,
    fullyTagged,
    fullyTaggedShare: share(fullyTagged),
    traced,
    tracedShare: share(traced),
    unresolvedOwner,
  };
}
