import { parseQuantity } from './common';
import { schemaProblems } from './testing/schemaProblems';
import {
  WorkloadSpec,
  buildDeployment,
  buildHorizontalPodAutoscaler,
  buildNamespace,
  buildPodDisruptionBudget,
  buildService,
  buildServiceAccount,
} from './workload';

const spec: WorkloadSpec = {
  name: 'payments-api',
  workload: 'service',
  port: 8080,
  image: 'ghcr.io/acme/payments-api:1.0.0',
  healthPaths: { liveness: '/healthz', readiness: '/readyz' },
  resources: {
    requests: { cpu: '100m', memory: '128Mi' },
    limits: { cpu: '500m', memory: '256Mi' },
  },
  hpa: { min: 2, max: 10 },
  secrets: ['DB_PASSWORD', 'STRIPE_API_KEY'],
  otlpEndpoint: 'http://otel-collector.observability:4318',
  env: {},
  egress: [],
};

const labels = {
  'app.kubernetes.io/name': 'payments-api',
  'app.kubernetes.io/component': 'service',
  'backstage.io/kubernetes-id': 'payments-api',
};

describe('workload manifests', () => {
  it('builds objects that pass their published schemas', () => {
    expect(
      schemaProblems([
        buildNamespace(spec),
        buildServiceAccount(spec),
        buildDeployment(spec),
        buildDeployment({ ...spec, workload: 'worker', secrets: [] }),
        buildService(spec),
        buildHorizontalPodAutoscaler(spec),
        buildPodDisruptionBudget(spec),
      ]),
    ).toEqual([]);
  });

  it('reports objects that break their schema', () => {
    const broken = buildDeployment(spec) as any;
    broken.spec.template.spec.containers[0].resources.limits.cpu = 'lots';
    expect(
      schemaProblems([
        broken,
        { apiVersion: 'v9', kind: 'Nope', metadata: { name: 'x' } },
      ]),
    ).toEqual([
      expect.stringMatching(
        /^Deployment\/payments-api: .*limits\/cpu must match format "quantity"/,
      ),
      'Nope/x: no published schema for v9 Nope',
    ]);
  });

  it('runs the container locked down, with probes, resources, OTEL settings and secrets as files', () => {
    const deployment = buildDeployment(spec) as any;
    expect(deployment.metadata.labels).toEqual(labels);
    expect(deployment.spec.replicas).toBeUndefined();
    const pod = deployment.spec.template;
    expect(pod.metadata.labels).toEqual(labels);
    expect(pod.spec).toMatchObject({
      serviceAccountName: 'payments-api',
      automountServiceAccountToken: false,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 65532,
        seccompProfile: { type: 'RuntimeDefault' },
      },
    });
    expect(pod.spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(30);
    const [container] = pod.spec.containers;
    expect(container).toMatchObject({
      image: 'ghcr.io/acme/payments-api:1.0.0',
      ports: [{ name: 'http', containerPort: 8080 }],
      envFrom: [{ configMapRef: { name: 'payments-api-otel' } }],
      resources: spec.resources,
      livenessProbe: { httpGet: { path: '/healthz', port: 'http' } },
      readinessProbe: { httpGet: { path: '/readyz', port: 'http' } },
      securityContext: {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      },
    });
    expect(container.env).toContainEqual({
      name: 'SECRETS_DIR',
      value: '/var/run/secrets/app',
    });
    expect(container.volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'secrets', mountPath: '/var/run/secrets/app', readOnly: true },
    ]);
    expect(pod.spec.volumes).toEqual([
      { name: 'tmp', emptyDir: {} },
      {
        name: 'secrets',
        secret: { secretName: 'payments-api-secrets', defaultMode: 0o440 },
      },
    ]);
  });

  it('mounts no secret volume when no secrets are declared, but still says where secrets would be', () => {
    const pod = (buildDeployment({ ...spec, secrets: [] }) as any).spec.template
      .spec;
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
    expect(pod.containers[0].volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
    ]);
    expect(pod.containers[0].env).toContainEqual({
      name: 'SECRETS_DIR',
      value: '/var/run/secrets/app',
    });
  });

  it('scales on CPU between the given bounds and never blocks a drain', () => {
    expect(
      (
        buildHorizontalPodAutoscaler({
          ...spec,
          hpa: { min: 1, max: 3 },
        }) as any
      ).spec,
    ).toMatchObject({
      scaleTargetRef: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'payments-api',
      },
      minReplicas: 1,
      maxReplicas: 3,
      metrics: [
        { resource: { name: 'cpu', target: { averageUtilization: 70 } } },
      ],
    });
    const pdb = (buildPodDisruptionBudget(spec) as any).spec;
    expect(pdb.maxUnavailable).toBe(1);
    expect(pdb.minAvailable).toBeUndefined();
  });

  it('exposes the container port through the Service and mounts no API token', () => {
    expect((buildService(spec) as any).spec.ports).toEqual([
      { name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' },
    ]);
    expect(buildServiceAccount(spec)).toMatchObject({
      automountServiceAccountToken: false,
    });
  });

  it.each([
    ['100m', 0.1],
    ['1', 1],
    ['1.5', 1.5],
    ['256Mi', 256 * 2 ** 20],
    ['1G', 1e9],
    ['lots', undefined],
    ['1e3', undefined],
    ['', undefined],
  ])('reads the quantity %j as %p', (quantity, value) => {
    expect(parseQuantity(quantity)).toBe(value);
  });
});
