import { Entity } from '@backstage/catalog-model';
import {
  FilterOptionsResponse,
  RollupsResponse,
  TrendResponse,
  ServiceInsight,
  ServiceListResponse,
} from '@golden-path/common';
import { exampleEntity, sampleInsight } from '@golden-path/common/testUtils';

/** The base URL `mockApis.discovery()` gives the service-insights backend. */
export const BASE_URL = 'http://example.com/api/service-insights';

/** App-config with the golden-path policy as the portal configures it, plus two trace backends. */
export const CONFIG = {
  goldenPath: {
    costTags: {
      required: ['team', 'cost-center', 'environment', 'product'],
      rules: {
        'cost-center': '^CC-[0-9]{4}$',
        environment: ['dev', 'staging', 'prod'],
      },
    },
    tracing: {
      links: [
        { type: 'jaeger', baseUrl: 'https://jaeger.example.com' },
        {
          type: 'grafana-tempo',
          baseUrl: 'https://grafana.example.com',
          datasourceUid: 'tempo',
        },
      ],
    },
    deploy: { environments: ['dev', 'staging', 'prod'] },
  },
};

/** examples/components.yaml's payments-api, with the given annotations in place of its own. */
export function componentEntity(
  annotations: Record<string, string> = {
    'golden-path.io/otel-service-name': 'payments-api',
  },
): Entity {
  const entity = exampleEntity('Component', 'payments-api');
  return {
    ...entity,
    metadata: { ...entity.metadata, namespace: 'default', annotations },
  };
}

/** The sample insight of payments-api, with trace links as {@link CONFIG} builds them and template provenance. */
export function insight(
  overrides: Partial<ServiceInsight> = {},
): ServiceInsight {
  return sampleInsight({
    tracing: {
      serviceName: 'payments-api',
      links: [
        {
          backend: 'jaeger',
          title: 'Jaeger',
          url: 'https://jaeger.example.com/search?service=payments-api&lookback=1h',
        },
      ],
    },
    template: { ref: 'template:default/go-api', version: '1.0.0' },
    ...overrides,
  });
}

export function listResponse(
  items: ServiceInsight[] = [insight()],
  page = 1,
  pageSize = 25,
  totalItems = items.length,
): ServiceListResponse {
  return { items, page, pageSize, totalItems };
}

export const ROLLUPS: RollupsResponse = {
  byTeam: [
    {
      key: 'group:default/team-payments',
      title: 'Payments',
      services: 4,
      fullyTagged: 3,
      fullyTaggedShare: 0.75,
      traced: 2,
      tracedShare: 0.5,
      unresolvedOwner: 0,
    },
  ],
  byCostCenter: [
    {
      key: 'CC-1001',
      title: 'CC-1001',
      services: 3,
      fullyTagged: 1,
      fullyTaggedShare: 1 / 3,
      traced: 3,
      tracedShare: 1,
      unresolvedOwner: 1,
    },
  ],
  totals: {
    key: 'all',
    title: 'All',
    services: 7,
    fullyTagged: 4,
    fullyTaggedShare: 4 / 7,
    traced: 5,
    tracedShare: 5 / 7,
    unresolvedOwner: 2,
  },
};

export const FILTER_OPTIONS: FilterOptionsResponse = {
  teams: [
    { ref: 'group:default/engineering', displayName: 'Engineering' },
    {
      ref: 'group:default/team-payments',
      displayName: 'Payments',
      parent: 'group:default/engineering',
    },
  ],
  costCenters: ['CC-1001', 'CC-2002'],
  environments: ['dev', 'staging', 'prod'],
  lifecycles: ['experimental', 'production'],
  types: ['service', 'worker'],
};

/** A team whose tagging campaign moved it from 60 % to 85 % over 30 days. */
export function trendResponse(
  overrides: Partial<TrendResponse> = {},
): TrendResponse {
  const point = (day: string, fullyTagged: number, traced: number) => ({
    day,
    services: 20,
    fullyTagged,
    fullyTaggedShare: fullyTagged / 20,
    traced,
    tracedShare: traced / 20,
    unresolvedOwner: 0,
  });
  return {
    scope: 'team',
    key: 'group:default/team-payments',
    title: 'Payments',
    days: 30,
    points: [
      point('2026-10-01', 12, 10),
      point('2026-10-15', 15, 11),
      point('2026-10-31', 17, 14),
    ],
    ...overrides,
  };
}
