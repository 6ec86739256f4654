import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  FilterOptionsResponse,
  RollupsResponse,
  ServiceInsight,
  ServiceListResponse,
} from '@golden-path/common';

/** The fields `/services` can sort on. */
export const SORT_FIELDS = [
  'name',
  'owner',
  'system',
  'lifecycle',
  'compliance',
  'costCenter',
] as const;

/** One of {@link SORT_FIELDS}. */
export type SortField = (typeof SORT_FIELDS)[number];

/** The compliance filter values; `noncompliant` means missing or invalid tags. */
export const COMPLIANCE_FILTERS = [
  'compliant',
  'noncompliant',
  'missing-tags',
  'invalid-tags',
] as const;

/** One of {@link COMPLIANCE_FILTERS}. */
export type ComplianceFilter = (typeof COMPLIANCE_FILTERS)[number];

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
}
