import { parseQuantity } from './common';
import { schemaProblems } from './testing/schemaProblems';
import {
  WorkloadSpec,
  buildDeployment,
  buildNamespace,
  buildPodDisruptionBudget,
  buildService,
  buildServiceAccount,
} from './workload';

const spec: WorkloadSpec = {
  name: 'payments-api',
  workload: 'service',
  port: 8080,
  image: 'ghcr.io/acme/payments-api',
  healthPaths: { liveness: '/healthz', readiness: '/readyz' },
  resources: {
    requests: { cpu: '100m', memory: '128Mi' },
    limits: { cpu: '500m', memory: '256Mi' },
  },
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
        buildDeployment({ ...spec, imagePullSecret: 'registry-pull' }),
        buildService(spec),
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
      image: 'ghcr.io/acme/payments-api',
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

  it('drains without dropping requests: preStop sleep, shutdown delay within the grace period', () => {
    const pod = (buildDeployment(spec) as any).spec.template.spec;
    const [container] = pod.containers;
    const preStop = container.lifecycle.preStop.sleep.seconds;
    expect(preStop).toBeGreaterThan(0);
    const delay = container.env.find((e: any) => e.name === 'SHUTDOWN_DELAY');
    expect(delay.value).toMatch(/^[1-9][0-9]*s$/);
    // preStop and the app's delay both run inside the grace period, with 20 s left to drain.
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(
      preStop + parseInt(delay.value, 10) + 20,
    );
    expect(
      pod.topologySpreadConstraints.map((c: any) => c.topologyKey),
    ).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
    expect(pod.topologySpreadConstraints[0]).toMatchObject({
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: {
        matchLabels: { 'app.kubernetes.io/name': 'payments-api' },
      },
    });
  });

  it('adds service.version and the pod, namespace and node from the Downward API to the resource attributes', () => {
    const [container] = (buildDeployment(spec) as any).spec.template.spec
      .containers;
    const env = (name: string) =>
      container.env.find((e: any) => e.name === name);
    expect(env('K8S_POD_NAME').valueFrom.fieldRef.fieldPath).toBe(
      'metadata.name',
    );
    expect(env('K8S_NAMESPACE_NAME').valueFrom.fieldRef.fieldPath).toBe(
      'metadata.namespace',
    );
    expect(env('K8S_NODE_NAME').valueFrom.fieldRef.fieldPath).toBe(
      'spec.nodeName',
    );
    const names = container.env.map((e: any) => e.name);
    // Kubernetes expands $(VAR) only for variables defined earlier in the list.
    expect(names.indexOf('OTEL_RESOURCE_ATTRIBUTES')).toBeGreaterThan(
      names.indexOf('SERVICE_VERSION'),
    );
    expect(env('OTEL_RESOURCE_ATTRIBUTES').value.split(',')).toEqual([
      '$(OTEL_RESOURCE_ATTRIBUTES)',
      'service.version=$(SERVICE_VERSION)',
      'k8s.pod.name=$(K8S_POD_NAME)',
      'k8s.namespace.name=$(K8S_NAMESPACE_NAME)',
      'k8s.node.name=$(K8S_NODE_NAME)',
    ]);
  });

  it('pulls with the policy image pull secret when there is one', () => {
    const pod = (s: WorkloadSpec) =>
      (buildDeployment(s) as any).spec.template.spec;
    expect(pod(spec).imagePullSecrets).toBeUndefined();
    expect(
      pod({ ...spec, imagePullSecret: 'registry-pull' }).imagePullSecrets,
    ).toEqual([{ name: 'registry-pull' }]);
  });

  it('never blocks a drain', () => {
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
