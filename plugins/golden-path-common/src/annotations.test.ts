import { Entity } from '@backstage/catalog-model';
import {
  GOLDEN_PATH_ANNOTATIONS,
  entityDeployEnvironments,
  entitySecretNames,
  entityServiceName,
} from './annotations';

function component(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payments-api', annotations },
  };
}

describe('annotation keys', () => {
  it('are valid annotation keys with a DNS prefix', () => {
    for (const key of Object.values(GOLDEN_PATH_ANNOTATIONS)) {
      expect(key).toMatch(/^[a-z0-9.-]+\.[a-z]+\/[a-z0-9-]+$/);
    }
  });

  it('reuse the keys other Backstage plugins already read', () => {
    expect(GOLDEN_PATH_ANNOTATIONS).toEqual(
      expect.objectContaining({
        jaegerService: 'jaegertracing.io/service',
        vaultSecretsPath: 'vault.io/secrets-path',
        sourceTemplate: 'backstage.io/source-template',
        templateVersion: 'backstage.io/template-version',
        kubernetesId: 'backstage.io/kubernetes-id',
      }),
    );
  });
});

describe('entityServiceName', () => {
  it('prefers the OpenTelemetry service name annotation', () => {
    expect(
      entityServiceName(
        component({
          'golden-path.io/otel-service-name': 'payments',
          'jaegertracing.io/service': 'payments-jaeger',
        }),
      ),
    ).toBe('payments');
  });

  it('falls back to the Jaeger service annotation', () => {
    expect(
      entityServiceName(component({ 'jaegertracing.io/service': 'payments' })),
    ).toBe('payments');
  });

  it('is undefined, meaning no tracing, without either or when blank', () => {
    expect(entityServiceName(component({}))).toBeUndefined();
    expect(
      entityServiceName(component({ 'golden-path.io/otel-service-name': ' ' })),
    ).toBeUndefined();
    expect(
      entityServiceName({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'no-annotations' },
      }),
    ).toBeUndefined();
  });
});

describe('comma-list annotations', () => {
  it('split, trim and drop empty items', () => {
    const entity = component({
      'golden-path.io/secrets': ' DB_PASSWORD, STRIPE_API_KEY ,,',
      'golden-path.io/deploy-environments': 'dev,staging,prod',
    });
    expect(entitySecretNames(entity)).toEqual([
      'DB_PASSWORD',
      'STRIPE_API_KEY',
    ]);
    expect(entityDeployEnvironments(entity)).toEqual([
      'dev',
      'staging',
      'prod',
    ]);
  });

  it('are empty when absent', () => {
    expect(entitySecretNames(component({}))).toEqual([]);
    expect(entityDeployEnvironments(component({}))).toEqual([]);
  });
});
