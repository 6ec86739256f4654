import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  FilterOptionsResponse,
  RollupsResponse,
  ServiceFilters,
  ServiceInsight,
  ServiceListResponse,
  ServicePage,
  ServiceSort,
  TrendResponse,
} from '@golden-path/common';

// The request contract (filters, sort, page and their query parameters) is in @golden-path/common
// (serviceInsightsQuery.ts), shared with the frontend client and the bench.

/** The caller; every catalog read is made with these credentials, so each caller sees only what they may see. */
export interface ServiceInsightsRequestOptions {
  credentials: BackstageCredentials;
}

/** Computes the service-insights views from the catalog, as the calling user sees it. */
export interface ServiceInsightsService {
  listServices(
    query: ServiceFilters & ServiceSort & ServicePage,
    options: ServiceInsightsRequestOptions,
  ): Promise<ServiceListResponse>;

  /** Every matching service as CSV, header row first. */
  exportCsv(
    query: ServiceFilters & ServiceSort,
    options: ServiceInsightsRequestOptions,
  ): Promise<string>;

  getRollups(
    filter: ServiceFilters,
    options: ServiceInsightsRequestOptions,
  ): Promise<RollupsResponse>;

  /** Throws `NotFoundError` when the component does not exist or the caller may not see it. */
  getService(
    entityRef: string,
    options: ServiceInsightsRequestOptions,
  ): Promise<ServiceInsight>;

  getFilterOptions(
    options: ServiceInsightsRequestOptions,
  ): Promise<FilterOptionsResponse>;

  /**
   * Daily snapshots of one roll-up row. Snapshots count every component, so only callers who may read the whole
   * catalog get them; others get a `NotAllowedError`.
   */
  getTrend(
    query: TrendQuery,
    options: ServiceInsightsRequestOptions,
  ): Promise<TrendResponse>;
}

/** Which roll-up row's trend, over how many days. */
export interface TrendQuery {
  scope: TrendResponse['scope'];
  key: string;
  days: number;
}
