import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  FilterOptionsResponse,
  RuntimeResponse,
  RollupsResponse,
  SecretsStatusResponse,
  ServiceInsight,
  ServiceListResponse,
  TraceOwnersResponse,
  TrendResponse,
} from '@golden-path/common';
import { ServiceInsightsApi, TrendQuery } from './ServiceInsightsApi';
import {
  ServiceFilters,
  ServiceListQuery,
  ServiceSort,
  filtersOf,
  toSearchParams,
} from './query';

/**
 * Calls the service-insights backend through `fetchApi`, so the user's token goes along. Identical JSON requests
 * that are under way at the same time share one response: the dashboard asks for its first page while React may
 * still throw that render away and render again.
 */
export class ServiceInsightsClient implements ServiceInsightsApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;
  /** JSON responses still being fetched, by URL; an entry leaves as soon as its request settles. */
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async listServices(query: ServiceListQuery = {}) {
    return this.getJson<ServiceListResponse>(
      '/services',
      toSearchParams(query),
    );
  }

  async exportServicesCsv(query: ServiceFilters & Partial<ServiceSort> = {}) {
    const { sort, order } = query;
    const params = toSearchParams({ ...filtersOf(query), sort, order });
    const res = await this.fetch(
      await this.url('/services/export.csv', params),
      'text/csv',
    );
    return res.blob();
  }

  async getRollups(filters: ServiceFilters = {}) {
    return this.getJson<RollupsResponse>(
      '/rollups',
      toSearchParams(filtersOf(filters)),
    );
  }

  async getEntityInsight(entityRef: string) {
    return this.getJson<ServiceInsight>(
      '/entity',
      new URLSearchParams({ ref: entityRef }),
    );
  }

  async getFilterOptions() {
    return this.getJson<FilterOptionsResponse>('/filters');
  }

  async getRuntime(entityRefs: string[]) {
    if (entityRefs.length === 0) return [];
    const params = new URLSearchParams(entityRefs.map(ref => ['ref', ref]));
    return (await this.getJson<RuntimeResponse>('/runtime', params)).items;
  }

  async getSecretsStatus(entityRef: string) {
    return this.getJson<SecretsStatusResponse>(
      '/secrets',
      new URLSearchParams({ ref: entityRef }),
    );
  }

  async getTrend(query: TrendQuery = {}) {
    const params = new URLSearchParams();
    if (query.team) params.set('team', query.team);
    if (query.costCenter) params.set('costCenter', query.costCenter);
    if (query.days) params.set('days', String(query.days));
    return this.getJson<TrendResponse>('/trends', params);
  }

  async getTraceOwners(traceId: string) {
    return this.getJson<TraceOwnersResponse>(
      `/traces/${encodeURIComponent(traceId)}/owners`,
    );
  }

  private async getJson<T>(path: string, params?: URLSearchParams): Promise<T> {
    const url = await this.url(path, params);
    let pending = this.inFlight.get(url);
    if (!pending) {
      pending = this.fetch(url, 'application/json')
        .then(res => res.json())
        .finally(() => this.inFlight.delete(url));
      this.inFlight.set(url, pending);
    }
    return pending as Promise<T>;
  }

  private async url(path: string, params?: URLSearchParams) {
    const baseUrl = await this.discoveryApi.getBaseUrl('service-insights');
    const search = params?.toString();
    return `${baseUrl}${path}${search ? `?${search}` : ''}`;
  }

  private async fetch(url: string, accept: string): Promise<Response> {
    const res = await this.fetchApi.fetch(url, { headers: { Accept: accept } });
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    return res;
  }
}
