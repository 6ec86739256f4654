import {
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { GoldenPathPolicy, ServiceInsight } from '@golden-path/common';
import { Knex } from 'knex';
import {
  filterOptions,
  filteredServices,
  orderServices,
  ownerResolvedExpression,
  rollups,
} from '../database/queries';
import { SharedViews } from '../database/sharedViews';
import { trend } from '../database/snapshots';
import { summarizeStored } from '../database/summarizeStored';
import { parseEntity } from '../database/tables';
import { Visibility, visibilityOf, whereVisible } from '../database/visibility';
import { servicesCsv } from './csv';
import { loadInsight } from './loadInsight';
import { ServiceInsightsService } from './ServiceInsightsService';

export interface ServiceInsightsServiceOptions {
  /** The plugin's database, migrated and kept up to date by `refreshInsights`. */
  knex: Knex;
  /** Read with the caller's credentials for a component the refresh has not stored yet. */
  catalog: CatalogService;
  permissions: PermissionsService;
  policy: GoldenPathPolicy;
  logger: LoggerService;
  /** Where views that are the same for every fully allowed caller are kept between refreshes. */
  sharedViews?: SharedViews;
}

/**
 * Serves the service-insights views from the plugin's database. The insights are computed once for everyone (by
 * the refresh task); each request applies the caller's `catalog.entity.read` decision in the query itself, so a
 * caller gets exactly the components the catalog would return to them, and owners, parent teams and systems they
 * may not read count as unresolved, as they would if the caller had read the catalog themselves.
 */
export function createServiceInsightsService(
  options: ServiceInsightsServiceOptions,
): ServiceInsightsService {
  const { knex, catalog, permissions, policy, logger, sharedViews } = options;

  /** Computed once per data generation for callers who may read everything; per request for the others. */
  function shared<T extends object>(
    visibility: Visibility,
    view: string,
    parameters: object,
    compute: () => Promise<T>,
  ): Promise<T> {
    if (visibility.type !== 'all' || !sharedViews) return compute();
    return sharedViews.get(view, parameters as any, compute as any) as any;
  }

  async function visibilityFor(
    credentials: BackstageCredentials,
  ): Promise<Visibility> {
    const [decision] = await permissions.authorizeConditional(
      [{ permission: catalogEntityReadPermission }],
      { credentials },
    );
    const visibility = visibilityOf(decision);
    if (
      visibility.type === 'none' &&
      decision.result === AuthorizeResult.CONDITIONAL
    ) {
      logger.warn(
        `Service insights show nothing to this caller: ${visibility.reason}`,
      );
    }
    return visibility;
  }

  /**
   * The stored insights as this caller sees them. With everything visible they are the stored ones; otherwise the
   * components are summarised again against what the caller may read (one page, one entity or one export).
   */
  async function insightsFor(
    rows: Array<{ ref: string; insight: string }>,
    visibility: Visibility,
  ): Promise<ServiceInsight[]> {
    if (visibility.type === 'all' || rows.length === 0) {
      return rows.map(row => JSON.parse(row.insight) as ServiceInsight);
    }
    const entities = await knex('si_entities')
      .select('ref', 'entity')
      .whereIn(
        'ref',
        rows.map(row => row.ref),
      );
    const byRef = new Map(entities.map(e => [e.ref, parseEntity(e.entity)]));
    const components = rows
      .map(row => byRef.get(row.ref))
      .filter(entity => entity !== undefined);
    return summarizeStored(components, {
      knex,
      policy,
      restrict: (query, refColumn) =>
        whereVisible(knex, query, visibility, refColumn),
    });
  }

  return {
    async listServices(query, { credentials }) {
      const visibility = await visibilityFor(credentials);
      const matching = filteredServices(knex, visibility, query);
      const [[{ total }], rows] = await Promise.all([
        matching.clone().count({ total: '*' }),
        orderServices(
          knex,
          matching.clone().select('svc.ref', 'svc.insight'),
          visibility,
          query,
        )
          .limit(query.pageSize)
          .offset((query.page - 1) * query.pageSize),
      ]);
      return {
        items: await insightsFor(rows, visibility),
        totalItems: Number(total),
        page: query.page,
        pageSize: query.pageSize,
      };
    },

    async exportCsv(query, { credentials }) {
      const visibility = await visibilityFor(credentials);
      const rows = await orderServices(
        knex,
        filteredServices(knex, visibility, query).select(
          'svc.insight',
          knex.raw('case when ? then 1 else 0 end as owner_resolved_now', [
            ownerResolvedExpression(knex, visibility),
          ]),
        ),
        visibility,
        query,
      );
      return servicesCsv(
        rows.map((row: { insight: string; owner_resolved_now: unknown }) => {
          const insight = JSON.parse(row.insight) as ServiceInsight;
          return {
            ...insight,
            owner: {
              ...insight.owner,
              resolved: Number(row.owner_resolved_now) === 1,
            },
          };
        }),
        policy,
      );
    },

    async getRollups(filter, { credentials }) {
      const visibility = await visibilityFor(credentials);
      return shared(visibility, 'rollups', filter, () =>
        rollups(knex, visibility, filter),
      );
    },

    async getService(entityRef, { credentials }) {
      const visibility = await visibilityFor(credentials);
      // Entity refs compare case-insensitively in the catalog; the exact spelling hits the primary key.
      const find = (exact: boolean) => {
        const query = knex('si_services as svc').select(
          'svc.ref',
          'svc.insight',
        );
        if (exact) {
          query.where('svc.ref', entityRef);
        } else {
          query.whereRaw('lower(??) = ?', [
            'svc.ref',
            entityRef.toLocaleLowerCase('en-US'),
          ]);
        }
        return whereVisible(knex, query, visibility, 'svc.ref').first();
      };
      const row = (await find(true)) ?? (await find(false));
      const [insight] = row
        ? await insightsFor([row], visibility)
        : // Not stored (yet): a component registered since the last refresh gets its card at once, straight from
          // the catalog as the caller may read it. One that is stored but hidden from the caller lands here too,
          // and the catalog refuses it the same way.
          [await loadInsight({ catalog, policy, credentials }, entityRef)];
      if (!insight) {
        throw new NotFoundError(`No component ${entityRef} was found`);
      }
      return insight;
    },

    async getFilterOptions({ credentials }) {
      const visibility = await visibilityFor(credentials);
      return shared(visibility, 'filters', {}, () =>
        filterOptions(knex, visibility),
      );
    },

    async getTrend(query, { credentials }) {
      // A snapshot counts every component at the time; it cannot be narrowed to what one caller may read.
      if ((await visibilityFor(credentials)).type !== 'all') {
        throw new NotAllowedError(
          'Compliance trends count every component, so they are shown only to callers who may read the whole catalog',
        );
      }
      return trend(knex, query);
    },
  };
}
