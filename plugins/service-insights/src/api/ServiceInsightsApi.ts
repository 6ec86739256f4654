import { createApiRef } from '@backstage/core-plugin-api';
import {
  ComponentRuntime,
  FilterOptionsResponse,
  RollupsResponse,
  SecretsStatusResponse,
  ServiceInsight,
  ServiceListResponse,
  TraceOwnersResponse,
  TrendResponse,
} from '@golden-path/common';
import { ServiceFilters, ServiceListQuery, ServiceSort } from './query';

/** The service-insights backend, as the UI sees it. Every call is made on behalf of the signed-in user. */
export interface ServiceInsightsApi {
  /** One page of components matching the filters. */
  listServices(query?: ServiceListQuery): Promise<ServiceListResponse>;
  /** Every component matching the filters, as CSV, sorted as asked. */
  exportServicesCsv(
    query?: ServiceFilters & Partial<ServiceSort>,
  ): Promise<Blob>;
  /** Counts and shares per team and per cost center for the components matching the filters. */
  getRollups(filters?: ServiceFilters): Promise<RollupsResponse>;
  /**
   * The insight for one component, e.g. `component:default/payments-api`. Rejects with a `ResponseError` whose
   * `statusCode` is 404 when the component does not exist or the user may not see it.
   */
  getEntityInsight(entityRef: string): Promise<ServiceInsight>;
  /** The values the dashboard's filters offer. */
  getFilterOptions(): Promise<FilterOptionsResponse>;
  /**
   * What runs per environment for these components (at most `MAX_RUNTIME_REFS`), and where the live objects
   * differ from the catalog; one item per ref, in the order given.
   */
  getRuntime(entityRefs: string[]): Promise<ComponentRuntime[]>;
  /** Which of the component's declared secrets exist in the secret manager, per environment (never a value). */
  getSecretsStatus(entityRef: string): Promise<SecretsStatusResponse>;
  /**
   * Daily compliance snapshots of all services, one owning team (`team`, a group ref) or one cost center, over the
   * last `days` days (default 30). Rejects with status 403 for users who may not read the whole catalog.
   */
  getTrend(query?: TrendQuery): Promise<TrendResponse>;
  /**
   * The services in a trace (32 hex digits) as the configured tracing backends hold it, each with the catalog
   * components the user may read that carry its service name, and their owners. The backend asks the tracing
   * backends; the browser never does.
   */
  getTraceOwners(traceId: string): Promise<TraceOwnersResponse>;
}

/** Whose trend: nothing for all services, or one team or one cost center. */
export interface TrendQuery {
  team?: string;
  costCenter?: string;
  days?: number;
}

/** The {@link ServiceInsightsApi}; works in both the legacy and the new frontend system. */
export const serviceInsightsApiRef = createApiRef<ServiceInsightsApi>({
  id: 'plugin.service-insights.service',
});
