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

/** Calls the service-insights backend through `fetchApi`, so the user's token goes along. */
export class ServiceInsightsClient implements ServiceInsightsApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async listServices(query: ServiceListQuery = {}) {
    const res = await this.get('/services', toSearchParams(query));
    return (await res.json()) as ServiceListResponse;
  }

  async exportServicesCsv(query: ServiceFilters & Partial<ServiceSort> = {}) {
    const { sort, order } = query;
    const params = toSearchParams({ ...filtersOf(query), sort, order });
    const res = await this.get('/services/export.csv', params, 'text/csv');
    return res.blob();
  }

  async getRollups(filters: ServiceFilters = {}) {
    const res = await this.get('/rollups', toSearchParams(filtersOf(filters)));
    return (await res.json()) as RollupsResponse;
  }

  async getEntityInsight(entityRef: string) {
    const res = await this.get(
      '/entity',
      new URLSearchParams({ ref: entityRef }),
    );
    return (await res.json()) as ServiceInsight;
  }

  async getFilterOptions() {
    const res = await this.get('/filters');
    return (await res.json()) as FilterOptionsResponse;
  }

  async getRuntime(entityRefs: string[]) {
    if (entityRefs.length === 0) return [];
    const params = new URLSearchParams(entityRefs.map(ref => ['ref', ref]));
    const res = await this.get('/runtime', params);
    return ((await res.json()) as RuntimeResponse).items;
  }

  async getSecretsStatus(entityRef: string) {
    const res = await this.get(
      '/secrets',
      new URLSearchParams({ ref: entityRef }),
    );
    return (await res.json()) as SecretsStatusResponse;
  }

  async getTrend(query: TrendQuery = {}) {
    const params = new URLSearchParams();
    if (query.team) params.set('team', query.team);
    if (query.costCenter) params.set('costCenter', query.costCenter);
    if (query.days) params.set('days', String(query.days));
    const res = await this.get('/trends', params);
    return (await res.json()) as TrendResponse;
  }

  async getTraceOwners(traceId: string) {
    const res = await this.get(`/traces/${encodeURIComponent(traceId)}/owners`);
    return (await res.json()) as TraceOwnersResponse;
  }

  private async get(
    path: string,
    params?: URLSearchParams,
    accept = 'application/json',
  ): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('service-insights');
    const search = params?.toString();
    const url = `${baseUrl}${path}${search ? `?${search}` : ''}`;
    const res = await this.fetchApi.fetch(url, { headers: { Accept: accept } });
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    return res;
  }
}
