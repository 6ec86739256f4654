import { CacheService } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogConditions } from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { DEFAULT_GOLDEN_PATH_POLICY } from '@golden-path/common';
import { Knex } from 'knex';
import {
  SECRET_ANNOTATION,
  exampleOrg,
  exampleOrgAfterTagging,
} from '../__testUtils__/exampleOrg';
import {
  catalogOf,
  migratedSqlite,
  refreshFrom,
} from '../__testUtils__/insightsDatabase';
import { createServiceInsightsService } from '../services/createServiceInsightsService';
import { createSharedViews } from './sharedViews';

// Roll-ups and filter options are aggregated once per data generation for fully allowed callers: a refresh that
// changes the data is seen at once, and a caller with a conditional decision never gets the shared view.

let knex: Knex;
let decision: PolicyDecision;
const stored = new Map<string, unknown>();
let sets = 0;
const cache: CacheService = {
  async get(key) {
    return stored.get(key) as any;
  },
  async set(key, value) {
    sets += 1;
    stored.set(key, value);
  },
  async delete(key) {
    stored.delete(key);
  },
  withOptions() {
    return cache;
  },
};

beforeEach(async () => {
  stored.clear();
  sets = 0;
  decision = { result: AuthorizeResult.ALLOW };
  knex = await migratedSqlite();
});
afterEach(() => knex.destroy());

const refresh = (entities: Entity[], etag: string) =>
  refreshFrom(knex, entities, etag);

function service() {
  const permissions = mockServices.permissions.mock();
  permissions.authorizeConditional.mockImplementation(async () => [
    decision as any,
  ]);
  return createServiceInsightsService({
    knex,
    catalog: catalogOf(exampleOrg, 'x'),
    permissions,
    policy: DEFAULT_GOLDEN_PATH_POLICY,
    logger: mockServices.logger.mock(),
    sharedViews: createSharedViews({ knex, cache }),
  });
}

const caller = { credentials: mockCredentials.user() };

it('aggregates once per data generation and shows a refresh at once', async () => {
  await refresh(exampleOrg, 'a');
  const insights = service();
  const first = await insights.getRollups({}, caller);
  expect(await insights.getRollups({}, caller)).toEqual(first);
  await insights.getRollups({ team: 'group:default/team-payments' }, caller);
  await insights.getFilterOptions(caller);
  await insights.getFilterOptions(caller);
  // One aggregation per view and parameters, not per request.
  expect(sets).toBe(3);

  // Nothing changed: the generation stays, the views stay.
  await refresh(exampleOrg, 'a');
  await insights.getRollups({}, caller);
  expect(sets).toBe(3);

  await refresh(exampleOrgAfterTagging(), 'b');
  const after = await insights.getRollups({}, caller);
  expect(after.totals.fullyTagged).toBe(first.totals.fullyTagged + 1);
  expect(sets).toBe(4);
});

it('never serves the shared view to a caller with a conditional decision', async () => {
  await refresh(exampleOrg, 'a');
  const insights = service();
  const everything = await insights.getRollups({}, caller);

  decision = {
    result: AuthorizeResult.CONDITIONAL,
    pluginId: 'catalog',
    resourceType: 'catalog-entity',
    conditions: {
      not: catalogConditions.hasAnnotation({ annotation: SECRET_ANNOTATION }),
    },
  } as PolicyDecision;
  const restricted = await insights.getRollups({}, caller);
  const secretServices = exampleOrg.filter(
    e =>
      e.kind === 'Component' &&
      e.metadata.annotations?.[SECRET_ANNOTATION] !== undefined,
  ).length;
  expect(secretServices).toBeGreaterThan(0);
  expect(restricted.totals.services).toBe(
    everything.totals.services - secretServices,
  );
  const teams = await insights.getFilterOptions(caller);
  expect(JSON.stringify(teams)).not.toContain('Secret team');
  // Only the fully allowed caller's view was kept.
  expect(sets).toBe(1);
});

it('keeps nothing before the first refresh', async () => {
  const insights = service();
  await insights.getRollups({}, caller);
  expect(sets).toBe(0);
});
