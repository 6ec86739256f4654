import { RollupRow, TrendResponse } from '@golden-path/common';
import { Knex } from 'knex';
import { rollups } from './queries';
import { inChunks } from './tables';

/** The UTC day of a moment, `YYYY-MM-DD`. */
export function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * Keeps one snapshot a day of the roll-ups over every stored service (per owning team, per cost center, and the
 * total): after a refresh that changed something, today's snapshot is written again, so each day holds its numbers
 * as of its last change. Drops snapshots older than `retentionDays`. Does nothing before the first refresh has
 * completed. Returns whether today's snapshot was written.
 */
export async function recordSnapshot(
  knex: Knex,
  {
    now = new Date(),
    retentionDays,
    changed,
  }: { now?: Date; retentionDays: number; changed: boolean },
): Promise<boolean> {
  const cutoff = dayOf(new Date(now.getTime() - retentionDays * 86_400_000));
  await knex('si_snapshots').where('day', '<', cutoff).delete();

  const day = dayOf(now);
  const refreshed = await knex('si_meta').where({ key: 'policy' }).first();
  if (!refreshed) {
    return false;
  }
  if (!changed) {
    const taken = await knex('si_snapshots')
      .where({ day, scope: 'total', key: 'total' })
      .first();
    if (taken) {
      return false;
    }
  }
  const all = await rollups(knex, { type: 'all' }, {});
  const record = (scope: string) => (row: RollupRow) => ({
    day,
    scope,
    key: row.key,
    title: row.title,
    services: row.services,
    fully_tagged: row.fullyTagged,
    traced: row.traced,
    unresolved_owner: row.unresolvedOwner,
  });
  const rows = [
    record('total')(all.totals),
    ...all.byTeam.map(record('team')),
    ...all.byCostCenter.map(record('costCenter')),
  ];
  await knex.transaction(async tx => {
    await tx('si_snapshots').where({ day }).delete();
    await inChunks(rows, chunk => tx('si_snapshots').insert(chunk), 200);
  });
  return true;
}

/** The snapshots of one roll-up row over the last `days` days, oldest first. */
export async function trend(
  knex: Knex,
  {
    scope,
    key,
    days,
    now = new Date(),
  }: {
    scope: TrendResponse['scope'];
    key: string;
    days: number;
    now?: Date;
  },
): Promise<TrendResponse> {
  const since = dayOf(new Date(now.getTime() - days * 86_400_000));
  const rows = await knex('si_snapshots')
    .where({ scope, key })
    .andWhere('day', '>=', since)
    .orderBy('day', 'asc');
  const share = (count: number, total: number) =>
    total === 0 ? 0 : Math.round((count / total) * 10_000) / 10_000;
  return {
    scope,
    key,
    title: rows.at(-1)?.title ?? key,
    days,
    points: rows.map(row => {
      const services = Number(row.services);
      return {
        day: row.day,
        services,
        fullyTagged: Number(row.fully_tagged),
        fullyTaggedShare: share(Number(row.fully_tagged), services),
        traced: Number(row.traced),
        tracedShare: share(Number(row.traced), services),
        unresolvedOwner: Number(row.unresolved_owner),
      };
    }),
  };
}
