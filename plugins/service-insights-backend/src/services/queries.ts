import {
  ComplianceState,
  FilterOptionsResponse,
  RollupRow,
  RollupsResponse,
  isOwnedByTeam,
} from '@golden-path/common';
import { ServiceRow } from './compactView';
import {
  ComplianceFilter,
  ServiceFilter,
  ServiceSort,
  SortField,
} from './ServiceInsightsService';

/** The roll-up key of services without a cost center. */
export const NO_COST_CENTER = '(none)';

const COST_CENTER_TAG = 'cost-center';
const ENVIRONMENT_TAG = 'environment';

const collator = new Intl.Collator('en', {
  sensitivity: 'base',
  numeric: true,
});

/** The value of a cost tag, valid or not; undefined when it is missing. */
export function costTagValue(row: ServiceRow, tag: string): string | undefined {
  return row.service.tags?.[tag];
}

export function filterRows(
  rows: ServiceRow[],
  filter: ServiceFilter,
): ServiceRow[] {
  const words = (filter.q ?? '')
    .toLocaleLowerCase('en-US')
    .split(/\s+/)
    .filter(word => word !== '');
  return rows.filter(
    row =>
      matchesAny(filter.types, row.service.type) &&
      matchesAny(filter.lifecycles, row.service.lifecycle) &&
      matchesAny(filter.costCenters, costTagValue(row, COST_CENTER_TAG)) &&
      matchesAny(filter.environments, costTagValue(row, ENVIRONMENT_TAG)) &&
      matchesCompliance(filter.compliance, row.service.compliance) &&
      (filter.team === undefined || isOwnedByTeam(row, filter.team)) &&
      (words.length === 0 || matchesWords(row, words)),
  );
}

function matchesAny(wanted: string[] | undefined, value: string | undefined) {
  return (
    wanted === undefined ||
    (value !== undefined &&
      wanted.some(item => collator.compare(item, value) === 0))
  );
}

function matchesCompliance(
  wanted: ComplianceFilter[] | undefined,
  compliance: ComplianceState,
) {
  return (
    wanted === undefined ||
    wanted.some(item =>
      item === 'noncompliant'
        ? compliance !== 'compliant'
        : item === compliance,
    )
  );
}

function matchesWords({ service, owner }: ServiceRow, words: string[]) {
  const text = [
    service.name,
    service.title,
    service.description,
    owner.ref,
    owner.displayName,
    service.system,
  ]
    .filter(Boolean)
    .join('\n')
    .toLocaleLowerCase('en-US');
  return words.every(word => text.includes(word));
}

const SORT_KEYS: Record<SortField, (row: ServiceRow) => string | undefined> = {
  name: row => row.service.name,
  // What the dashboard shows for the owner: its display name, else its ref.
  owner: row => row.owner.displayName ?? row.owner.ref,
  system: row => row.service.system,
  lifecycle: row => row.service.lifecycle,
  // compliant < invalid-tags < missing-tags, which is also how bad each one is.
  compliance: row => row.service.compliance,
  costCenter: row => costTagValue(row, COST_CENTER_TAG),
};

/**
 * Sorts a copy. Services without a value for the field come last in either order; ties are broken by name and then
 * entity ref, always ascending, so pages are stable.
 */
export function sortRows(
  rows: ServiceRow[],
  { sort, order }: ServiceSort,
): ServiceRow[] {
  const keyOf = SORT_KEYS[sort];
  const direction = order === 'desc' ? -1 : 1;
  const keyed = rows.map(row => ({ row, key: keyOf(row) }));
  keyed.sort((a, b) => {
    if (a.key !== b.key) {
      if (a.key === undefined) return 1;
      if (b.key === undefined) return -1;
      const byKey = collator.compare(a.key, b.key) * direction;
      if (byKey !== 0) return byKey;
    }
    return (
      collator.compare(a.row.service.name, b.row.service.name) ||
      collator.compare(a.row.service.entityRef, b.row.service.entityRef)
    );
  });
  return keyed.map(({ row }) => row);
}

/** Counts per direct owner and per cost center, plus totals; shares are 0..1, rounded to 4 decimals. */
export function rollUp(rows: ServiceRow[]): RollupsResponse {
  const byTeam = new Map<string, { title: string; rows: ServiceRow[] }>();
  const byCostCenter = new Map<string, ServiceRow[]>();
  for (const row of rows) {
    const teamKey = row.owner.ref || '(none)';
    const team = byTeam.get(teamKey) ?? {
      title: row.owner.displayName ?? teamKey,
      rows: [],
    };
    team.rows.push(row);
    byTeam.set(teamKey, team);

    const costCenter = costTagValue(row, COST_CENTER_TAG) ?? NO_COST_CENTER;
    const costCenterRows = byCostCenter.get(costCenter) ?? [];
    costCenterRows.push(row);
    byCostCenter.set(costCenter, costCenterRows);
  }
  return {
    byTeam: [...byTeam]
      .map(([key, team]) => rollupRow(key, team.title, team.rows))
      .sort(byRowTitle),
    byCostCenter: [...byCostCenter]
      .map(([key, costCenterRows]) => rollupRow(key, key, costCenterRows))
      .sort(byRowTitle),
    totals: rollupRow('total', 'All services', rows),
  };
}

function rollupRow(key: string, title: string, rows: ServiceRow[]): RollupRow {
  const services = rows.length;
  const fullyTagged = rows.filter(
    r => r.service.compliance === 'compliant',
  ).length;
  const traced = rows.filter(r => r.service.serviceName !== undefined).length;
  return {
    key,
    title,
    services,
    fullyTagged,
    fullyTaggedShare: share(fullyTagged, services),
    traced,
    tracedShare: share(traced, services),
    unresolvedOwner: rows.filter(r => !r.owner.resolved).length,
  };
}

function share(count: number, total: number): number {
  return total === 0 ? 0 : Math.round((count / total) * 10_000) / 10_000;
}

// Alphabetical, with the "(none)" bucket last.
function byRowTitle(a: RollupRow, b: RollupRow): number {
  if ((a.key === NO_COST_CENTER) !== (b.key === NO_COST_CENTER)) {
    return a.key === NO_COST_CENTER ? 1 : -1;
  }
  return collator.compare(a.title, b.title) || collator.compare(a.key, b.key);
}

/** The teams the caller may see and the distinct values present in the services they may see, sorted. */
export function filterOptions(
  rows: ServiceRow[],
  teams: FilterOptionsResponse['teams'],
): FilterOptionsResponse {
  const distinct = (values: Array<string | undefined>) =>
    [...new Set(values.filter((v): v is string => v !== undefined))].sort(
      collator.compare,
    );
  return {
    teams,
    costCenters: distinct(rows.map(r => costTagValue(r, COST_CENTER_TAG))),
    environments: distinct(rows.map(r => costTagValue(r, ENVIRONMENT_TAG))),
    lifecycles: distinct(rows.map(r => r.service.lifecycle)),
    types: distinct(rows.map(r => r.service.type)),
  };
}
