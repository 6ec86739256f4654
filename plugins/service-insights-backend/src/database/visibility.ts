import {
  AuthorizeResult,
  PermissionCondition,
  PermissionCriteria,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { createConditionTransformer } from '@backstage/plugin-permission-node';
import { permissionRules } from '@backstage/plugin-catalog-backend/alpha';
import { EntitiesSearchFilter } from '@backstage/plugin-catalog-node';
import { Knex } from 'knex';

/**
 * Which stored entities a caller may read, from their decision on the catalog's `catalog.entity.read`:
 * everything, nothing, or those matching a filter in the catalog's own terms (`{ key, values }` on the flattened
 * entity, combined with allOf / anyOf / not).
 */
export type Visibility =
  | { type: 'all' }
  | { type: 'none'; reason: string }
  | { type: 'filter'; filter: PermissionCriteria<EntitiesSearchFilter> };

// The catalog's built-in rules, turned into queries exactly as the catalog turns them (each rule's toQuery).
const transformConditions = createConditionTransformer<EntitiesSearchFilter>({
  getRuleByName(name: string) {
    const rule = Object.values(permissionRules).find(r => r.name === name);
    if (!rule) {
      throw new Error(`unknown catalog permission rule ${name}`);
    }
    return rule as any;
  },
});

/**
 * The caller's visibility from their policy decision. A condition with a rule this plugin does not know (a custom
 * rule added to the catalog by a module) cannot be applied here, so it fails closed: the caller sees nothing.
 */
export function visibilityOf(decision: PolicyDecision): Visibility {
  if (decision.result === AuthorizeResult.ALLOW) {
    return { type: 'all' };
  }
  if (decision.result !== AuthorizeResult.CONDITIONAL) {
    return { type: 'none', reason: 'catalog.entity.read is denied' };
  }
  try {
    return {
      type: 'filter',
      filter: transformConditions(
        decision.conditions as PermissionCriteria<PermissionCondition>,
      ),
    };
  } catch (error) {
    return {
      type: 'none',
      reason: `the catalog.entity.read decision could not be applied (${error})`,
    };
  }
}

/** The alias of the search table inside visibility subqueries; outer queries must not use it. */
const SEARCH = 'si_vis_search';

/**
 * Adds "the entity whose ref is in `refColumn` is visible" to a query, as the catalog applies the same filter to its
 * search table: `{ key }` = the key exists, `{ key, values }` = a row with that key and one of the values, keys and
 * values compared lowercased.
 */
export function whereVisible(
  knex: Knex,
  query: Knex.QueryBuilder,
  visibility: Visibility,
  refColumn: string,
): Knex.QueryBuilder {
  if (visibility.type === 'all') {
    return query;
  }
  if (visibility.type === 'none') {
    return query.whereRaw('1 = 0');
  }
  return applyFilter(knex, query, visibility.filter, refColumn);
}

function applyFilter(
  knex: Knex,
  query: Knex.QueryBuilder,
  filter: PermissionCriteria<EntitiesSearchFilter>,
  refColumn: string,
): Knex.QueryBuilder {
  if ('not' in filter) {
    return query.whereNot(inner => {
      applyFilter(knex, inner, filter.not, refColumn);
    });
  }
  if ('allOf' in filter) {
    if (filter.allOf.length === 0) {
      return query.whereRaw('1 = 1');
    }
    return query.where(outer => {
      for (const sub of filter.allOf) {
        outer.andWhere(inner => {
          applyFilter(knex, inner, sub, refColumn);
        });
      }
    });
  }
  if ('anyOf' in filter) {
    if (filter.anyOf.length === 0) {
      return query.whereRaw('1 = 0');
    }
    return query.where(outer => {
      for (const sub of filter.anyOf) {
        outer.orWhere(inner => {
          applyFilter(knex, inner, sub, refColumn);
        });
      }
    });
  }
  const { key, values } = filter;
  const exists = knex(`si_search as ${SEARCH}`)
    .select(knex.raw('1'))
    .whereRaw('?? = ??', [`${SEARCH}.ref`, refColumn])
    .where(`${SEARCH}.key`, key.toLocaleLowerCase('en-US'));
  if (values) {
    exists.whereIn(
      `${SEARCH}.value`,
      values.map(value => String(value).toLocaleLowerCase('en-US')),
    );
  }
  return query.whereExists(exists);
}

/**
 * "The entity `refColumn` names exists and is visible", as an SQL expression for select lists and ORDER BY.
 * `TRUE`-like when everything is visible.
 */
export function visibleEntityExpression(
  knex: Knex,
  visibility: Visibility,
  refColumn: string,
): Knex.Raw {
  if (visibility.type === 'all') {
    return knex.raw('1 = 1');
  }
  const query = knex('si_entities as si_vis_entity')
    .select(knex.raw('1'))
    .whereRaw('?? = ??', ['si_vis_entity.ref', refColumn]);
  whereVisible(knex, query, visibility, 'si_vis_entity.ref');
  const { sql, bindings } = query.toSQL();
  return knex.raw(`exists (${sql})`, bindings as readonly Knex.Value[]);
}
