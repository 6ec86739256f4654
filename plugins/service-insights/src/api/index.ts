export type { ServiceInsightsApi, TrendQuery } from './ServiceInsightsApi';
export { serviceInsightsApiRef } from './ServiceInsightsApi';
export { ServiceInsightsClient } from './ServiceInsightsClient';
export {
  COMPLIANCE_FILTERS,
  SERVICE_SORT_FIELDS,
  fromSearchParams,
  toSearchParams,
} from './query';
export type {
  ComplianceFilter,
  ServiceFilters,
  ServiceListQuery,
  ServicePage,
  ServiceSort,
  ServiceSortField,
  SortOrder,
} from './query';
