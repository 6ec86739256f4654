import { Entity } from '@backstage/catalog-model';
import { Knex } from 'knex';
import {
  exampleOrg,
  exampleOrgAfterTagging,
} from '../__testUtils__/exampleOrg';
import { migratedSqlite, refreshFrom } from '../__testUtils__/insightsDatabase';
import { recordSnapshot, trend } from './snapshots';

// Daily roll-up snapshots on a real SQLite database: one per day, a trend that moves when the catalog does,
// retention, and nothing recorded before the first refresh.

const DAY = 86_400_000;
const start = new Date('2026-10-01T12:00:00Z');
const at = (days: number) => new Date(start.getTime() + days * DAY);

let knex: Knex;
beforeEach(async () => {
  knex = await migratedSqlite();
});
afterEach(() => knex.destroy());

const refresh = (entities: Entity[], etag: string) =>
  refreshFrom(knex, entities, etag);

const snapshot = (now: Date, changed: boolean, retentionDays = 90) =>
  recordSnapshot(knex, { now, retentionDays, changed });

it('records nothing before the first refresh', async () => {
  expect(await snapshot(at(0), true)).toBe(false);
  expect(await knex('si_snapshots')).toEqual([]);
});

it('keeps one snapshot a day, as of its last change, and the trend follows the catalog', async () => {
  const later = (date: Date) => new Date(date.getTime() + 3_600_000);
  await refresh(exampleOrg, 'a');
  expect(await snapshot(at(0), true)).toBe(true);
  // Nothing changed: the day keeps its snapshot.
  expect(await snapshot(later(at(0)), false)).toBe(false);
  // A new day gets one even without a change.
  expect(await snapshot(at(1), false)).toBe(true);
  // The campaign lands later that day: the day's snapshot is written again.
  await refresh(exampleOrgAfterTagging(), 'b');
  expect(await snapshot(later(at(1)), true)).toBe(true);
  expect(
    await knex('si_snapshots').where({ scope: 'total' }).count({ n: '*' }),
  ).toEqual([{ n: 2 }]);

  const team = await trend(knex, {
    scope: 'team',
    key: 'group:default/team-payments',
    days: 30,
    now: at(1),
  });
  expect(team.title).toBe('Payments');
  // team-payments' own five: checkout-worker, payments-api and vault-api tagged, then ledger-api too (fraud-scorer's
  // cost center stays invalid).
  expect(
    team.points.map(p => [
      p.day,
      p.services,
      p.fullyTagged,
      p.fullyTaggedShare,
    ]),
  ).toEqual([
    ['2026-10-01', 5, 3, 0.6],
    ['2026-10-02', 5, 4, 0.8],
  ]);
  const total = await trend(knex, {
    scope: 'total',
    key: 'total',
    days: 30,
    now: at(1),
  });
  // Of all 15 (examples/*.yaml's ten, the overlay's five), 11 then 12 fully tagged; legacy-reports unresolved.
  expect(total.points.map(p => p.fullyTagged)).toEqual([11, 12]);
  expect(total.points[1]).toMatchObject({
    services: exampleOrg.filter(e => e.kind === 'Component').length,
    traced: 10,
    unresolvedOwner: 1,
  });
  const costCenter = await trend(knex, {
    scope: 'costCenter',
    key: 'CC-1001',
    days: 30,
    now: at(1),
  });
  // checkout-worker, fraud-rules, payments-api and vault-api, then ledger-api.
  expect(costCenter.points.map(p => p.services)).toEqual([4, 5]);
  // Only the days asked for.
  expect(
    (await trend(knex, { scope: 'total', key: 'total', days: 0, now: at(1) }))
      .points,
  ).toHaveLength(1);
});

it('drops snapshots older than the retention', async () => {
  await refresh(exampleOrg, 'a');
  await snapshot(at(0), false, 10);
  await snapshot(at(5), false, 10);
  await snapshot(at(12), false, 10);
  const days = await knex('si_snapshots').distinct('day').orderBy('day', 'asc');
  expect(days.map(d => d.day)).toEqual(['2026-10-06', '2026-10-13']);
});
