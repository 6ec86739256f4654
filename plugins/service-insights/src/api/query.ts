import {
  COMPLIANCE_FILTERS,
  ComplianceFilter,
  SERVICE_SORT_FIELDS,
  ServiceSortField,
} from '@golden-path/common';

export { COMPLIANCE_FILTERS, SERVICE_SORT_FIELDS };
export type { ComplianceFilter, ServiceSortField };

/** Sort direction. */
export type SortOrder = 'asc' | 'desc';

/** Which components the list, the roll-ups and the export cover. Unset fields do not filter. */
export interface ServiceFilters {
  /** Component types, e.g. `['service', 'worker']`. */
  types?: string[];
  /** A group ref; the backend includes the group's child teams. */
  team?: string;
  costCenter?: string;
  environment?: string;
  lifecycle?: string;
  compliance?: ComplianceFilter;
  /** Free-text search. */
  q?: string;
}

/** How the list and the export are sorted. */
export interface ServiceSort {
  sort?: ServiceSortField;
  order?: SortOrder;
}

/** One page of the list. */
export interface ServicePage {
  /** 1-based. */
  page?: number;
  pageSize?: number;
}

/** Everything a list request can say; also the state of the dashboard, kept in its URL. */
export type ServiceListQuery = ServiceFilters & ServiceSort & ServicePage;

const STRING_FIELDS = [
  'team',
  'costCenter',
  'environment',
  'lifecycle',
  'q',
] as const;

/**
 * The query as URL search parameters, named as the backend expects them (`type=service,worker&team=...&page=2`).
 * Unset and empty values are left out. The dashboard uses the same form for its own URL, so a view can be shared.
 */
export function toSearchParams(query: ServiceListQuery): URLSearchParams {
  const params = new URLSearchParams();
  const types = query.types?.filter(type => type !== '');
  if (types && types.length > 0) {
    params.set('type', types.join(','));
  }
  for (const field of STRING_FIELDS) {
    const value = query[field]?.trim();
    if (value) {
      params.set(field, value);
    }
  }
  if (query.compliance) {
    params.set('compliance', query.compliance);
  }
  if (query.sort) {
    params.set('sort', query.sort);
  }
  if (query.order) {
    params.set('order', query.order);
  }
  if (query.page !== undefined) {
    params.set('page', String(query.page));
  }
  if (query.pageSize !== undefined) {
    params.set('pageSize', String(query.pageSize));
  }
  return params;
}

/** Reads a query back from URL search parameters; values that are not allowed are dropped. */
export function fromSearchParams(params: URLSearchParams): ServiceListQuery {
  const query: ServiceListQuery = {};
  const types = (params.get('type') ?? '')
    .split(',')
    .map(type => type.trim())
    .filter(type => type !== '');
  if (types.length > 0) {
    query.types = types;
  }
  for (const field of STRING_FIELDS) {
    const value = params.get(field)?.trim();
    if (value) {
      query[field] = value;
    }
  }
  const compliance = oneOf(COMPLIANCE_FILTERS, params.get('compliance'));
  if (compliance) {
    query.compliance = compliance;
  }
  const sort = oneOf(SERVICE_SORT_FIELDS, params.get('sort'));
  if (sort) {
    query.sort = sort;
  }
  const order = oneOf(['asc', 'desc'] as const, params.get('order'));
  if (order) {
    query.order = order;
  }
  const page = positiveInteger(params.get('page'));
  if (page !== undefined) {
    query.page = page;
  }
  const pageSize = positiveInteger(params.get('pageSize'));
  if (pageSize !== undefined) {
    query.pageSize = pageSize;
  }
  return query;
}

/** The filter part of a query: what the roll-ups depend on. */
export function filtersOf(query: ServiceListQuery): ServiceFilters {
  const { types, team, costCenter, environment, lifecycle, compliance, q } =
    query;
  return { types, team, costCenter, environment, lifecycle, compliance, q };
}

function oneOf<T extends string>(
  values: readonly T[],
  value: string | null,
): T | undefined {
  return (values as readonly (string | null)[]).includes(value)
    ? (value as T)
    : undefined;
}

function positiveInteger(value: string | null): number | undefined {
  if (value === null || !/^[0-9]+$/.test(value)) {
    return undefined;
  }
  const number = Number(value);
  return number >= 1 ? number : undefined;
}
