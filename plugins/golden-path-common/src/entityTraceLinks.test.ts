import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { entityTraceLinks } from './entityTraceLinks';
import { DEFAULT_GOLDEN_PATH_POLICY, readGoldenPathPolicy } from './policy';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    annotations: { 'golden-path.io/otel-service-name': 'payments' },
  },
};

describe('entityTraceLinks', () => {
  it('links the entity service in the default Jaeger', () => {
    expect(entityTraceLinks(DEFAULT_GOLDEN_PATH_POLICY, entity)).toEqual({
      serviceName: 'payments',
      links: [
        {
          backend: 'jaeger',
          title: 'Jaeger',
          url: 'http://localhost:16686/search?service=payments&lookback=1h',
        },
      ],
    });
  });

  it('filters Grafana on the attribute the environment tag is written to', () => {
    const policy = readGoldenPathPolicy(
      new ConfigReader({
        goldenPath: {
          costTags: { keys: { environment: { otelAttribute: 'env' } } },
          tracing: {
            links: [
              {
                type: 'grafana-tempo',
                baseUrl: 'https://grafana.example.com',
                datasourceUid: 'tempo',
              },
            ],
          },
        },
      }),
    );
    const { links } = entityTraceLinks(policy, entity, { environment: 'prod' });
    const panes = JSON.parse(new URL(links[0].url).searchParams.get('panes')!);
    expect(panes.a.queries[0].query).toBe(
      '{resource.service.name="payments" && resource.env="prod"}',
    );
  });

  it('has no links for an entity without a service name', () => {
    expect(
      entityTraceLinks(DEFAULT_GOLDEN_PATH_POLICY, {
        ...entity,
        metadata: { name: 'no-tracing' },
      }),
    ).toEqual({ links: [] });
  });
});
