import {
  FilterOptionsResponse,
  RollupRow,
  RollupsResponse,
  ServiceFilters,
  ServiceSort,
  ServiceSortField,
} from '@golden-path/common';
import { Knex } from 'knex';
import { byTitle, teamOf } from '../services/teamOption';
import { parseEntity } from './tables';
import {
  Visibility,
  visibleEntityExpression,
  whereVisible,
} from './visibility';

// Every query here runs in the database on si_services (alias svc) and its indexes; JavaScript only sees one page,
// the roll-up groups or the distinct filter values.

/** The roll-up key of services without a cost center. */
export const NO_COST_CENTER = '(none)';

const collator = new Intl.Collator('en', {
  sensitivity: 'base',
  numeric: true,
});
const lower = (value: string) => value.toLocaleLowerCase('en-US');

/** The services matching `filter` that the caller may read. */
export function filteredServices(
  knex: Knex,
  visibility: Visibility,
  filter: ServiceFilters,
): Knex.QueryBuilder {
  const query = knex('si_services as svc');
  whereVisible(knex, query, visibility, 'svc.ref');
  const anyOf = (column: string, values: string[] | undefined) => {
    if (values !== undefined) {
      query.whereIn(column, values.map(lower));
    }
  };
  anyOf('svc.type_key', filter.types);
  anyOf('svc.lifecycle_key', filter.lifecycles);
  anyOf('svc.cost_center_key', filter.costCenters);
  anyOf('svc.environment_key', filter.environments);
  if (filter.compliance !== undefined) {
    const states = filter.compliance;
    query.where(inner => {
      for (const state of states) {
        if (state === 'noncompliant') {
          inner.orWhereNot('svc.compliance', 'compliant');
        } else {
          inner.orWhere('svc.compliance', state);
        }
      }
    });
  }
  if (filter.team !== undefined) {
    query.whereExists(ownedByTeam(knex, visibility, filter.team));
  }
  const words = lower(filter.q ?? '')
    .split(/\s+/)
    .filter(word => word !== '');
  if (words.length > 0) {
    const ownerVisible = ownerResolvedExpression(knex, visibility);
    for (const word of words) {
      const pattern = `%${word.replace(/[\\%_]/g, c => `\\${c}`)}%`;
      query.where(inner =>
        inner
          .whereRaw(`?? like ? escape '\\'`, ['svc.search_text', pattern])
          .orWhere(owner =>
            owner
              .where(ownerVisible)
              .andWhereRaw(`?? like ? escape '\\'`, [
                'svc.owner_display_key',
                pattern,
              ]),
          ),
      );
    }
  }
  return query;
}

/**
 * The service's owner is `team` or has it in its parent chain, as the caller sees the chain: it ends at the first
 * group the caller may not read, exactly as summarizeService ends it for that caller.
 */
function ownedByTeam(knex: Knex, visibility: Visibility, team: string) {
  const chain = knex('si_owner_chain as si_chain')
    .select(knex.raw('1'))
    .whereRaw('?? = ??', ['si_chain.service_ref', 'svc.ref'])
    .where('si_chain.group_key', lower(team));
  if (visibility.type !== 'all') {
    chain.whereNotExists(
      knex('si_owner_chain as si_above')
        .select(knex.raw('1'))
        .whereRaw('?? = ??', ['si_above.service_ref', 'si_chain.service_ref'])
        .whereRaw('?? < ??', ['si_above.depth', 'si_chain.depth'])
        .whereRaw('not (?)', [
          visibleEntityExpression(knex, visibility, 'si_above.group_ref'),
        ]),
    );
  }
  return chain;
}

/** "The owner resolves for this caller": it exists as a Group or User, and the caller may read it. */
export function ownerResolvedExpression(
  knex: Knex,
  visibility: Visibility,
): Knex.Raw {
  if (visibility.type === 'all') {
    return knex.raw('?? = ?', ['svc.owner_resolved', true]);
  }
  return knex.raw('(?? = ? and ?)', [
    'svc.owner_resolved',
    true,
    visibleEntityExpression(knex, visibility, 'svc.owner_ref'),
  ]);
}

const SORT_COLUMNS: Record<ServiceSortField, string> = {
  name: 'svc.name_key',
  owner: 'svc.owner_key',
  system: 'svc.system_key',
  lifecycle: 'svc.lifecycle_key',
  // compliant < invalid-tags < missing-tags, which is also how bad each one is.
  compliance: 'svc.compliance',
  costCenter: 'svc.cost_center_key',
};

/**
 * Orders a query: services without a value for the field last in either order, ties by name and entity ref,
 * always ascending, so pages are stable. Text compares lowercased.
 */
export function orderServices(
  knex: Knex,
  query: Knex.QueryBuilder,
  visibility: Visibility,
  { sort, order }: ServiceSort,
): Knex.QueryBuilder {
  // An owner the caller may not read shows as its ref, so it sorts as its ref.
  const key =
    sort === 'owner' && visibility.type !== 'all'
      ? knex.raw('case when ? then ?? else lower(??) end', [
          ownerResolvedExpression(knex, visibility),
          'svc.owner_key',
          'svc.owner_ref',
        ])
      : knex.ref(SORT_COLUMNS[sort]);
  return query
    .orderByRaw('(? is null)', [key])
    .orderByRaw(`? ${order === 'desc' ? 'desc' : 'asc'}`, [key])
    .orderBy('svc.name_key', 'asc')
    .orderBy('svc.ref', 'asc');
}

/** Counts per direct owner and per cost center, plus totals; shares are 0..1, rounded to 4 decimals. */
export async function rollups(
  knex: Knex,
  visibility: Visibility,
  filter: ServiceFilters,
): Promise<RollupsResponse> {
  const resolved = ownerResolvedExpression(knex, visibility);
  const counts = [
    knex.raw('count(*) as services'),
    knex.raw(
      `sum(case when ?? = 'compliant' then 1 else 0 end) as fully_tagged`,
      ['svc.compliance'],
    ),
    knex.raw('sum(case when ?? = ? then 1 else 0 end) as traced', [
      'svc.traced',
      true,
    ]),
    knex.raw('sum(case when ? then 1 else 0 end) as resolved', [resolved]),
  ];
  const [teams, costCenters, [totals]] = await Promise.all([
    filteredServices(knex, visibility, filter)
      .select(
        'svc.owner_ref',
        knex.raw('max(??) as display', ['svc.owner_display']),
        ...counts,
      )
      .groupBy('svc.owner_ref'),
    filteredServices(knex, visibility, filter)
      .select('svc.cost_center', ...counts)
      .groupBy('svc.cost_center'),
    filteredServices(knex, visibility, filter).select(...counts),
  ]);
  return {
    byTeam: teams
      .map((row: CountsRow & { owner_ref: string; display: string | null }) => {
        const key = row.owner_ref || '(none)';
        // A display name is shown only when the owner resolves for this caller.
        const title =
          Number(row.resolved) > 0 && row.display ? row.display : key;
        return rollupRow(key, title, row);
      })
      .sort(byRowTitle),
    byCostCenter: costCenters
      .map((row: CountsRow & { cost_center: string | null }) => {
        const key = row.cost_center ?? NO_COST_CENTER;
        return rollupRow(key, key, row);
      })
      .sort(byRowTitle),
    totals: rollupRow('total', 'All services', totals),
  };
}

interface CountsRow {
  services: number | string;
  fully_tagged: number | string | null;
  traced: number | string | null;
  resolved: number | string | null;
}

function rollupRow(key: string, title: string, row: CountsRow): RollupRow {
  const services = Number(row.services);
  const fullyTagged = Number(row.fully_tagged ?? 0);
  const traced = Number(row.traced ?? 0);
  return {
    key,
    title,
    services,
    fullyTagged,
    fullyTaggedShare: share(fullyTagged, services),
    traced,
    tracedShare: share(traced, services),
    unresolvedOwner: services - Number(row.resolved ?? 0),
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

/** The teams the caller may read and the distinct values present in the services they may read, sorted. */
export async function filterOptions(
  knex: Knex,
  visibility: Visibility,
): Promise<FilterOptionsResponse> {
  const distinct = async (column: string) => {
    const rows = await filteredServices(knex, visibility, {})
      .distinct(`svc.${column} as value`)
      .whereNotNull(`svc.${column}`);
    return rows.map(row => row.value as string).sort(collator.compare);
  };
  const groups = knex('si_entities as grp')
    .select('grp.entity')
    .where('grp.kind', 'group');
  whereVisible(knex, groups, visibility, 'grp.ref');
  const [groupRows, costCenters, environments, lifecycles, types] =
    await Promise.all([
      groups,
      distinct('cost_center'),
      distinct('environment'),
      distinct('lifecycle'),
      distinct('type'),
    ]);
  return {
    teams: groupRows.map(row => teamOf(parseEntity(row.entity))).sort(byTitle),
    costCenters,
    environments,
    lifecycles,
    types,
  };
}
