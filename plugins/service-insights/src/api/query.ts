// The request contract lives in @golden-path/common, shared with the backend that parses it; the dashboard keeps
// its state in the same form in its URL, so a view can be shared.
export {
  COMPLIANCE_FILTERS,
  SERVICE_SORT_FIELDS,
  serviceFiltersOf as filtersOf,
  serviceQueryFromSearchParams as fromSearchParams,
  serviceQueryToSearchParams as toSearchParams,
} from '@golden-path/common';
export type {
  ComplianceFilter,
  ServiceFilters,
  ServiceListQuery,
  ServicePage,
  ServiceSort,
  ServiceSortField,
  SortOrder,
} from '@golden-path/common';
