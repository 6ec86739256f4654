import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  ComplianceFilter,
  FilterOptionsResponse,
  ServiceSortField as SortField,
  RollupsResponse,
  ServiceInsight,
  ServiceListResponse,
  TrendResponse,
} from '@golden-path/common';

/** The contract's sort fields and compliance filters, named as the backend uses them. */
export {
  SERVICE_SORT_FIELDS as SORT_FIELDS,
  COMPLIANCE_FILTERS,
} from '@golden-path/common';
export type { SortField, ComplianceFilter };

/**
 * Which services a request is about. Values within one list are alternatives (OR); the filters combine with AND.
 * Absent filters match everything.
 */
export interface ServiceFilter {
  types?: string[];
  /** A canonical group ref (`group:default/team-payments`); matches services owned by it or any team below it. */
  team?: string;
  costCenters?: string[];
  environments?: string[];
  lifecycles?: string[];
  compliance?: ComplianceFilter[];
  /** Free text; every word must appear in the name, title, description, owner or system. */
  q?: string;
}

/** How services are ordered. Services without a value for the field come last in either order. */
export interface ServiceSort {
  sort: SortField;
  order: 'asc' | 'desc';
}

/** A page of services. */
export interface ServicePage {
  /** 1-based. */
  page: number;
  pageSize: number;
}

/** The caller; every catalog read is made with these credentials, so each caller sees only what they may see. */
export interface ServiceInsightsRequestOptions {
  credentials: BackstageCredentials;
}

/** Computes the service-insights views from the catalog, as the calling user sees it. */
export interface ServiceInsightsService {
  listServices(
    query: ServiceFilter & ServiceSort & ServicePage,
    options: ServiceInsightsRequestOptions,
  ): Promise<ServiceListResponse>;

  /** Every matching service as CSV, header row first. */
  exportCsv(
    query: ServiceFilter & ServiceSort,
    options: ServiceInsightsRequestOptions,
  ): Promise<string>;

  getRollups(
    filter: ServiceFilter,
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
