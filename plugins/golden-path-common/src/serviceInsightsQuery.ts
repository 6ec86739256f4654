import {
  COMPLIANCE_FILTERS,
  ComplianceFilter,
  SERVICE_SORT_FIELDS,
  ServiceSortField,
} from './serviceInsights';

// The service-insights request contract: which services (filters), in which order (sort), which page, and the
// query parameters that carry them. The frontend client writes requests with it, the backend parses them with it
// and the bench names the same parameters, so a renamed parameter or a new filter changes all three at once.

/** Sort directions. */
export const SORT_ORDERS = ['asc', 'desc'] as const;

/** One of {@link SORT_ORDERS}. */
export type SortOrder = (typeof SORT_ORDERS)[number];

/**
 * Which services a request is about. Values within one list are alternatives (OR); the filters combine with AND.
 * Absent or empty filters match everything.
 */
export interface ServiceFilters {
  /** Component types, e.g. `['service', 'worker']`. */
  types?: string[];
  /** A group ref (`group:default/team-payments`); matches services owned by it or any team below it. */
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
  sort: ServiceSortField;
  order: SortOrder;
}

/** A page of services. */
export interface ServicePage {
  /** 1-based. */
  page: number;
  pageSize: number;
}

/** Everything a list request can say; what it leaves out takes {@link SERVICE_LIST_DEFAULTS}. */
export type ServiceListQuery = ServiceFilters &
  Partial<ServiceSort> &
  Partial<ServicePage>;

/** What the backend assumes for sort and page parameters a request leaves out. */
export const SERVICE_LIST_DEFAULTS: Readonly<ServiceSort & ServicePage> = {
  sort: 'name',
  order: 'asc',
  page: 1,
  pageSize: 25,
};

/** The largest page the backend serves. */
export const MAX_SERVICE_PAGE_SIZE = 200;

/** The longest free-text search (`q`) the backend accepts. */
export const MAX_SERVICE_SEARCH_LENGTH = 200;

/**
 * The query parameter that carries each filter. List filters may be repeated or comma-separated
 * (`type=service,worker`); `team` and `q` are given at most once.
 */
export const SERVICE_FILTER_PARAMETERS = {
  types: 'type',
  team: 'team',
  costCenters: 'costCenter',
  environments: 'environment',
  lifecycles: 'lifecycle',
  q: 'q',
  compliance: 'compliance',
} as const satisfies Record<keyof ServiceFilters, string>;

/** The filters whose parameter holds a list. */
export const SERVICE_LIST_FILTERS = [
  'types',
  'costCenters',
  'environments',
  'lifecycles',
  'compliance',
] as const satisfies ReadonlyArray<keyof ServiceFilters>;

/** The sort and page parameters, named as the {@link ServiceSort} and {@link ServicePage} fields. */
export const SERVICE_SORT_PARAMETERS = [
  'sort',
  'order',
] as const satisfies ReadonlyArray<keyof ServiceSort>;
export const SERVICE_PAGE_PARAMETERS = [
  'page',
  'pageSize',
] as const satisfies ReadonlyArray<keyof ServicePage>;

/**
 * The filter part of a query: what the roll-ups depend on. Absent filters stay absent, so equal filters compare
 * equal field by field.
 */
export function serviceFiltersOf(query: ServiceListQuery): ServiceFilters {
  const filters: ServiceFilters = {};
  for (const field of Object.keys(
    SERVICE_FILTER_PARAMETERS,
  ) as (keyof ServiceFilters)[]) {
    (filters as Record<string, unknown>)[field] = query[field];
  }
  return filters;
}

/**
 * The query as URL search parameters, named as the backend expects them (`type=service,worker&team=...&page=2`).
 * Unset and empty values are left out; lists are comma-separated.
 */
export function serviceQueryToSearchParams(
  query: ServiceListQuery,
): URLSearchParams {
  const params = new URLSearchParams();
  for (const [field, name] of Object.entries(SERVICE_FILTER_PARAMETERS)) {
    const value = query[field as keyof ServiceFilters];
    const text = Array.isArray(value)
      ? value
          .map(item => item.trim())
          .filter(item => item !== '')
          .join(',')
      : value?.trim();
    if (text) {
      params.set(name, text);
    }
  }
  for (const name of [...SERVICE_SORT_PARAMETERS, ...SERVICE_PAGE_PARAMETERS]) {
    const value = query[name];
    if (value !== undefined) {
      params.set(name, String(value));
    }
  }
  return params;
}

/**
 * Reads a query back from URL search parameters, leniently: values the backend would refuse are dropped rather
 * than reported (a shared dashboard URL should still open). The backend's own parsing is strict.
 */
export function serviceQueryFromSearchParams(
  params: URLSearchParams,
): ServiceListQuery {
  const query: ServiceListQuery = {};
  const listed = (name: string) =>
    params
      .getAll(name)
      .flatMap(value => value.split(','))
      .map(value => value.trim())
      .filter(value => value !== '');
  for (const field of SERVICE_LIST_FILTERS) {
    let values = listed(SERVICE_FILTER_PARAMETERS[field]);
    if (field === 'compliance') {
      values = values.filter(value => oneOf(COMPLIANCE_FILTERS, value));
    }
    if (values.length > 0) {
      (query as Record<string, string[]>)[field] = [...new Set(values)];
    }
  }
  for (const field of ['team', 'q'] as const) {
    const value = params.get(SERVICE_FILTER_PARAMETERS[field])?.trim();
    if (value) {
      query[field] = value;
    }
  }
  const sort = params.get('sort');
  if (oneOf(SERVICE_SORT_FIELDS, sort)) {
    query.sort = sort;
  }
  const order = params.get('order');
  if (oneOf(SORT_ORDERS, order)) {
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

function oneOf<T extends string>(
  values: readonly T[],
  value: string | null,
): value is T {
  return (values as readonly (string | null)[]).includes(value);
}

function positiveInteger(value: string | null): number | undefined {
  if (value === null || !/^[0-9]+$/.test(value)) {
    return undefined;
  }
  const number = Number(value);
  return number >= 1 ? number : undefined;
}
