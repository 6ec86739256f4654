import { ServiceListResponse } from '@golden-path/common';
import {
  ServiceInsightsApi,
  ServiceListQuery,
  fromSearchParams,
  toSearchParams,
} from '../../api';

/** A request for a page of components whose outcome a render can read as soon as it has settled. */
export type PageRequest = {
  readonly promise: Promise<ServiceListResponse>;
  status: 'pending' | 'fulfilled' | 'rejected';
  value?: ServiceListResponse;
  error?: Error;
};

/**
 * Starts `api.listServices(query)` and records its outcome on the returned object. A failure is handled here: a
 * request no render ends up showing must not leave an unhandled rejection behind.
 */
export function requestPage(
  api: ServiceInsightsApi,
  query: ServiceListQuery,
): PageRequest {
  const request: PageRequest = {
    promise: api.listServices(query),
    status: 'pending',
  };
  request.promise.then(
    value => {
      request.status = 'fulfilled';
      request.value = value;
    },
    error => {
      request.status = 'rejected';
      request.error = error;
    },
  );
  return request;
}

/**
 * The first page of components, asked for by the dashboard's page loader from the URL it opens with: before the
 * route has drawn the page's header and before the dashboard's code has loaded. Dashboards that render before one
 * has been shown use it when they are for the same query; once one has been shown, later visits ask again.
 */
export class FirstPageRequest {
  private request?: PageRequest;
  private readonly key: string;

  constructor(api: ServiceInsightsApi, search: string) {
    const query = fromSearchParams(new URLSearchParams(search));
    this.key = toSearchParams(query).toString();
    this.request = requestPage(api, query);
  }

  /** The request, while it is for `query` and no dashboard has shown it yet. */
  for(query: ServiceListQuery): PageRequest | undefined {
    return toSearchParams(query).toString() === this.key
      ? this.request
      : undefined;
  }

  /** A dashboard has been drawn with it (or with a page of its own): from now on each visit asks for itself. */
  shown(): void {
    this.request = undefined;
  }
}
