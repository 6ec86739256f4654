import {
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { HumanDuration } from '@backstage/types';
import { GoldenPathPolicy } from '@golden-path/common';
import {
  CompactView,
  compactView,
  decodeView,
  encodeView,
  expandRow,
  rowsOf,
} from './compactView';
import { servicesCsv } from './csv';
import { loadInsight, loadInsightsView } from './loadInsights';
import { filterOptions, filterRows, rollUp, sortRows } from './queries';
import { ServiceInsightsService } from './ServiceInsightsService';

export interface ServiceInsightsServiceOptions {
  catalog: CatalogService;
  /** Holds each caller's computed view for `cacheTtl`; shared by all replicas when the cache store is. */
  cache: CacheService;
  policy: GoldenPathPolicy;
  logger: LoggerService;
  /** How long a caller's view is reused before the catalog is read again. Default 30 seconds. */
  cacheTtl?: HumanDuration;
}

/**
 * Serves the service-insights views. The catalog is read with the caller's credentials, so every caller gets their
 * own view, cached under their identity: catalog permissions differ per user, and one user's view must never be
 * served to another.
 */
export function createServiceInsightsService(
  options: ServiceInsightsServiceOptions,
): ServiceInsightsService {
  const { catalog, cache, policy, logger } = options;
  const ttl = options.cacheTtl ?? { seconds: 30 };
  // Requests that arrive together (the dashboard asks for services, roll-ups and filters at once) share one catalog
  // read. Only promises in flight live here, per caller and never longer than one read: not a cache.
  const inFlight = new Map<string, Promise<CompactView>>();

  async function cachedView(key: string): Promise<CompactView | undefined> {
    try {
      return await decodeView(await cache.get(key));
    } catch (error) {
      logger.warn(`Could not read the service-insights cache: ${error}`);
      return undefined;
    }
  }

  async function computeView(
    key: string,
    credentials: BackstageCredentials,
  ): Promise<CompactView> {
    const started = Date.now();
    const view = compactView(
      await loadInsightsView({ catalog, policy, credentials }),
    );
    logger.debug(
      `Computed service insights for ${key}: ${
        view.services.length
      } services in ${Date.now() - started} ms`,
    );
    try {
      await cache.set(key, await encodeView(view), { ttl });
    } catch (error) {
      logger.warn(`Could not write the service-insights cache: ${error}`);
    }
    return view;
  }

  async function viewFor(
    credentials: BackstageCredentials,
  ): Promise<CompactView> {
    const key = cacheKey(credentials);
    let view = await cachedView(key);
    if (!view) {
      let pending = inFlight.get(key);
      if (!pending) {
        pending = computeView(key, credentials).finally(() =>
          inFlight.delete(key),
        );
        inFlight.set(key, pending);
      }
      view = await pending;
    }
    return view;
  }

  return {
    async listServices(query, { credentials }) {
      const rows = rowsOf(await viewFor(credentials));
      const matching = sortRows(filterRows(rows, query), query);
      const start = (query.page - 1) * query.pageSize;
      return {
        items: matching
          .slice(start, start + query.pageSize)
          .map(row => expandRow(row, policy)),
        totalItems: matching.length,
        page: query.page,
        pageSize: query.pageSize,
      };
    },

    async exportCsv(query, { credentials }) {
      const rows = rowsOf(await viewFor(credentials));
      return servicesCsv(sortRows(filterRows(rows, query), query), policy);
    },

    async getRollups(filter, { credentials }) {
      return rollUp(filterRows(rowsOf(await viewFor(credentials)), filter));
    },

    async getService(entityRef, { credentials }) {
      // A view that is cached already answers at once; otherwise fetch just this component rather than all.
      const cached = await cachedView(cacheKey(credentials));
      const row =
        cached &&
        rowsOf(cached).find(({ service }) => service.entityRef === entityRef);
      const insight = row
        ? expandRow(row, policy)
        : await loadInsight({ catalog, policy, credentials }, entityRef);
      if (!insight) {
        throw new NotFoundError(`No component ${entityRef} was found`);
      }
      return insight;
    },

    async getFilterOptions({ credentials }) {
      const view = await viewFor(credentials);
      return filterOptions(rowsOf(view), view.teams);
    },
  };
}

/**
 * The cache key of a caller's view: the user's entity ref, or the service's subject. Never shared between two
 * principals, because the catalog shows each of them different entities.
 */
export function cacheKey(credentials: BackstageCredentials): string {
  const principal = credentials.principal as
    | BackstageUserPrincipal
    | BackstageServicePrincipal
    | { type: string };
  if (principal.type === 'user' && 'userEntityRef' in principal) {
    return `view:v1:user:${principal.userEntityRef}`;
  }
  if (principal.type === 'service' && 'subject' in principal) {
    return `view:v1:service:${principal.subject}`;
  }
  // The router only lets users and services in; anything else must not get a key it could share.
  throw new Error('Service insights are only computed for users and services');
}
