import { mockCredentials } from '@backstage/backend-test-utils';
import { CatalogClient } from '@backstage/catalog-client';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  PermissionCondition,
  PermissionCriteria,
  isPermission,
} from '@backstage/plugin-permission-common';
import { PermissionPolicy } from '@backstage/plugin-permission-node';
import {
  DEFAULT_GOLDEN_PATH_POLICY,
  ServiceInsight,
  isOwnedByTeam,
} from '@golden-path/common';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { loadInsightsView } from './__testUtils__/catalogOracle';
import { startCatalogTestBackend } from './__testUtils__/catalogTestBackend';
import { exampleOrg } from './__testUtils__/exampleOrg';

// Permission parity: for users under conditional catalog policies built from every catalog rule, what this plugin
// serves from its own tables equals what the same user gets by reading the real catalog with their own credentials
// (the real catalog and permission backend apply the policy there), computed the way the plugin did before it kept
// tables. Components, owners, parent chains, systems and domains, team filter, search, roll-ups and filter options.

jest.setTimeout(120_000);

const {
  isEntityKind,
  isEntityOwner,
  hasLabel,
  hasAnnotation,
  hasMetadata,
  hasSpec,
} = catalogConditions;
type Criteria = PermissionCriteria<PermissionCondition<'catalog-entity'>>;

const CONDITIONAL: Record<string, Criteria> = {
  // Users and Systems invisible: a user-owned component's owner does not resolve, no domains.
  'user:default/kinds': isEntityKind({ kinds: ['Component', 'Group'] }),
  'user:default/payments-owner': {
    anyOf: [
      isEntityOwner({ claims: ['group:default/team-payments'] }),
      isEntityKind({ kinds: ['Group', 'User', 'System', 'Domain'] }),
    ],
  },
  // Label values compare case-insensitively in the catalog.
  'user:default/prod-label': {
    anyOf: [
      hasLabel({ label: 'golden-path.io/environment', value: 'PROD' }),
      { not: isEntityKind({ kinds: ['component'] }) },
    ],
  },
  // Experimental, not production: with the csv-probe, production would serve 11 components, as many as prod-label,
  // and the test 'differs between the policies' needs every policy to serve a different number.
  'user:default/spec-and-metadata': {
    anyOf: [
      hasSpec({ key: 'lifecycle', value: 'experimental' }),
      hasMetadata({ key: 'description', value: 'The csv-probe component.' }),
      {
        allOf: [
          isEntityKind({ kinds: ['Group'] }),
          { not: hasSpec({ key: 'type', value: 'department' }) },
        ],
      },
    ],
  },
  // team-payments hidden, its squad visible: the squad's chain ends at team-payments' ref.
  'user:default/no-payments-group': {
    not: {
      allOf: [
        isEntityKind({ kinds: ['Group'] }),
        hasMetadata({ key: 'name', value: 'team-payments' }),
      ],
    },
  },
  'user:default/no-chat-groups': {
    not: hasAnnotation({ annotation: 'golden-path.io/chat-channel' }),
  },
};
const ALLOWED = 'user:default/admin';
const DENIED = 'user:default/denied';
const CUSTOM_RULE = 'user:default/custom-rule';

const policy: PermissionPolicy = {
  async handle(req, user) {
    if (!isPermission(req.permission, catalogEntityReadPermission)) {
      return { result: AuthorizeResult.ALLOW };
    }
    const who = user?.info.userEntityRef ?? '';
    if (who === DENIED) {
      return { result: AuthorizeResult.DENY };
    }
    if (who === CUSTOM_RULE) {
      // A rule some catalog module added, which this plugin cannot translate.
      return createCatalogConditionalDecision(req.permission, {
        rule: 'IS_FAVOURITE',
        resourceType: 'catalog-entity',
        params: {},
      } as PermissionCondition<'catalog-entity'>);
    }
    const conditions = CONDITIONAL[who];
    return conditions
      ? createCatalogConditionalDecision(req.permission, conditions)
      : { result: AuthorizeResult.ALLOW };
  },
};

let server: Parameters<typeof request>[0];
let baseUrl: string;

beforeAll(async () => {
  const backend = await startCatalogTestBackend(exampleOrg, { policy });
  server = backend.server;
  baseUrl = `http://127.0.0.1:${
    (backend.server.address() as AddressInfo).port
  }`;
});

/** The catalog as `user` reads it over HTTP with their own token. */
function catalogAs(user: string): CatalogService {
  const client = new CatalogClient({
    discoveryApi: { getBaseUrl: async () => `${baseUrl}/api/catalog` },
  });
  const token = mockCredentials.user.token(user);
  return {
    streamEntities: (req: any) => client.streamEntities(req, { token }),
    getEntitiesByRefs: (req: any) => client.getEntitiesByRefs(req, { token }),
  } as unknown as CatalogService;
}

async function get(path: string, user: string) {
  const res = await request(server)
    .get(`/api/service-insights${path}`)
    .set('Authorization', mockCredentials.user.header(user));
  expect(res.status).toBe(200);
  return res.body;
}

const byRef = (a: ServiceInsight, b: ServiceInsight) =>
  a.entityRef.localeCompare(b.entityRef);

describe.each([...Object.keys(CONDITIONAL), ALLOWED])('for %s', user => {
  let oracle: Awaited<ReturnType<typeof loadInsightsView>>;
  beforeAll(async () => {
    oracle = await loadInsightsView({
      catalog: catalogAs(user),
      policy: DEFAULT_GOLDEN_PATH_POLICY,
      credentials: mockCredentials.user(user),
    });
  });

  it('serves exactly the insights the catalog gives this user', async () => {
    const served = (await get('/services?pageSize=200', user)).items;
    expect([...served].sort(byRef)).toEqual([...oracle.insights].sort(byRef));
    for (const insight of oracle.insights) {
      const one = await get(`/entity?ref=${insight.entityRef}`, user);
      expect(one).toEqual(insight);
    }
  });

  it('filters by team along the chain this user can see', async () => {
    const teams = [
      ...new Set([
        ...oracle.teams.map(t => t.ref),
        'group:default/engineering',
        'group:default/team-payments',
        'group:default/team-secret',
      ]),
    ];
    for (const team of teams) {
      const served = (await get(`/services?pageSize=200&team=${team}`, user))
        .items as ServiceInsight[];
      expect(served.map(i => i.entityRef).sort()).toEqual(
        oracle.insights
          .filter(i => isOwnedByTeam(i, team))
          .map(i => i.entityRef)
          .sort(),
      );
    }
  });

  it('searches owner names only where this user can read the owner', async () => {
    for (const q of ['payments', 'grace', 'fraud squad']) {
      const served = (await get(`/services?pageSize=200&q=${q}`, user))
        .items as ServiceInsight[];
      expect(served.map(i => i.entityRef).sort()).toEqual(
        oracle.insights
          .filter(i => matchesWords(i, q))
          .map(i => i.entityRef)
          .sort(),
      );
    }
  });

  it('rolls up and offers filters from what this user can read', async () => {
    const rollups = await get('/rollups', user);
    const teams = new Map<string, { title: string; items: ServiceInsight[] }>();
    for (const insight of oracle.insights) {
      const team = teams.get(insight.owner.ref) ?? {
        title: insight.owner.displayName ?? insight.owner.ref,
        items: [],
      };
      team.items.push(insight);
      teams.set(insight.owner.ref, team);
    }
    expect(
      rollups.byTeam
        .map((r: any) => [r.key, r.title, r.services, r.unresolvedOwner])
        .sort(),
    ).toEqual(
      [...teams]
        .map(([key, t]) => [
          key,
          t.title,
          t.items.length,
          t.items.filter(i => !i.owner.resolved).length,
        ])
        .sort(),
    );
    expect(rollups.totals).toMatchObject({
      services: oracle.insights.length,
      fullyTagged: oracle.insights.filter(i => i.compliance === 'compliant')
        .length,
      traced: oracle.insights.filter(i => i.tracing.serviceName).length,
      unresolvedOwner: oracle.insights.filter(i => !i.owner.resolved).length,
    });
    const filters = await get('/filters', user);
    expect(filters.teams).toEqual(oracle.teams);
  });
});

it('differs between the policies (the parity above is not trivial)', async () => {
  const counts = await Promise.all(
    [...Object.keys(CONDITIONAL), ALLOWED].map(
      async user => (await get('/services?pageSize=1', user)).totalItems,
    ),
  );
  expect(new Set(counts).size).toBeGreaterThan(3);
});

it('serves nothing to a user the catalog denies', async () => {
  expect((await get('/services', DENIED)).totalItems).toBe(0);
  expect((await get('/rollups', DENIED)).totals.services).toBe(0);
  expect((await get('/filters', DENIED)).teams).toEqual([]);
  const res = await request(server)
    .get('/api/service-insights/entity?ref=payments-api')
    .set('Authorization', mockCredentials.user.header(DENIED));
  expect(res.status).toBe(404);
});

it('fails closed on a condition it cannot translate', async () => {
  expect((await get('/services', CUSTOM_RULE)).totalItems).toBe(0);
  const csv = await request(server)
    .get('/api/service-insights/services/export.csv')
    .set('Authorization', mockCredentials.user.header(CUSTOM_RULE));
  expect(csv.text.split('\r\n').filter(Boolean)).toHaveLength(1); // the header only
  expect((await get('/rollups', CUSTOM_RULE)).totals.services).toBe(0);
});

function matchesWords(insight: ServiceInsight, q: string): boolean {
  const text = [
    insight.name,
    insight.title,
    insight.description,
    insight.owner.ref,
    insight.owner.displayName,
    insight.system,
  ]
    .filter(Boolean)
    .join('\n')
    .toLocaleLowerCase('en-US');
  return q
    .toLocaleLowerCase('en-US')
    .split(/\s+/)
    .every(word => text.includes(word));
}
