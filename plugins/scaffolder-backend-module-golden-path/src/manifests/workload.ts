import {
  ManifestObject,
  RUN_AS_ID,
  SECRETS_DIR,
  WorkloadKind,
  appLabels,
  otelConfigMapName,
  secretsSecretName,
  selectorLabels,
} from './common';

/** CPU and memory as Kubernetes quantities, e.g. `{ cpu: '100m', memory: '128Mi' }`. */
export interface ResourceQuantities {
  cpu: string;
  memory: string;
}

/** Everything the base manifests of one app are built from; inputs are validated before they get here. */
export interface WorkloadSpec {
  /** The component name: object names, labels, namespace. */
  name: string;
  workload: WorkloadKind;
  /** The HTTP port the container listens on (traffic for a service, the health endpoints for both kinds). */
  port: number;
  image: string;
  healthPaths: { liveness: string; readiness: string };
  resources: { requests: ResourceQuantities; limits: ResourceQuantities };
  hpa: { min: number; max: number };
  /** Declared secret names, e.g. `DB_PASSWORD`; each is a file under {@link SECRETS_DIR}. */
  secrets: readonly string[];
  /** OTLP/HTTP endpoint the app exports to; the egress NetworkPolicy lets the app reach it. */
  otlpEndpoint: string;
  /** Plain (non-secret) environment variables, e.g. a broker URL. */
  env: Readonly<Record<string, string>>;
  /** In-cluster destinations the app may connect to besides DNS and the collector, e.g. a message broker. */
  egress: ReadonlyArray<{ namespace: string; port: number }>;
}

/** Seconds Kubernetes waits after SIGTERM before killing the container: time to drain in-flight requests. */
export const TERMINATION_GRACE_PERIOD_SECONDS = 30;

/** The HPA scales out when the pods' average CPU use passes this share of their CPU request. */
export const HPA_CPU_UTILIZATION = 70;

const HTTP_PORT_NAME = 'http';

/**
 * The app's own namespace, labelled for the Pod Security `restricted` level, which the generated Deployment meets.
 * Its name is replaced by the overlay's `namespace`, so it always matches where the app runs.
 */
export function buildNamespace(
  spec: Pick<WorkloadSpec, 'name'>,
): ManifestObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: spec.name,
      labels: {
        ...appLabels(spec.name),
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/warn': 'restricted',
      },
    },
  };
}

/** The app's own identity; no API token is mounted, since the app does not call the Kubernetes API. */
export function buildServiceAccount(
  spec: Pick<WorkloadSpec, 'name' | 'workload'>,
): ManifestObject {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: spec.name, labels: appLabels(spec.name, spec.workload) },
    automountServiceAccountToken: false,
  };
}

/**
 * The Deployment: non-root, read-only root filesystem with a writable `/tmp`, no capabilities, probes on the health
 * paths, `OTEL_*` settings from the generated ConfigMap and secrets as files under `SECRETS_DIR`.
 * It sets no `replicas`: the HorizontalPodAutoscaler owns the count, and a value here would reset it on every
 * GitOps sync.
 */
export function buildDeployment(spec: WorkloadSpec): ManifestObject {
  const { name, workload, port, healthPaths } = spec;
  const hasSecrets = spec.secrets.length > 0;
  const httpGet = (path: string) => ({ path, port: HTTP_PORT_NAME });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    // Fresh label objects each time: a shared one would be written as a YAML anchor and alias.
    metadata: { name, labels: appLabels(name, workload) },
    spec: {
      revisionHistoryLimit: 5,
      selector: { matchLabels: selectorLabels(name) },
      // Start a new pod before stopping an old one, so a rollout never lowers capacity.
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 },
      },
      template: {
        metadata: { labels: appLabels(name, workload) },
        spec: {
          serviceAccountName: name,
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: TERMINATION_GRACE_PERIOD_SECONDS,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: RUN_AS_ID,
            runAsGroup: RUN_AS_ID,
            // Secret files belong to this group, so the app can read them with mode 0440.
            fsGroup: RUN_AS_ID,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name,
              image: spec.image,
              ports: [
                { name: HTTP_PORT_NAME, containerPort: port, protocol: 'TCP' },
              ],
              env: [
                { name: 'PORT', value: String(port) },
                { name: 'SECRETS_DIR', value: SECRETS_DIR },
                ...Object.entries(spec.env).map(([envName, value]) => ({
                  name: envName,
                  value,
                })),
              ],
              envFrom: [{ configMapRef: { name: otelConfigMapName(name) } }],
              resources: {
                requests: { ...spec.resources.requests },
                limits: { ...spec.resources.limits },
              },
              // Up to 60s to start (JVMs), then the liveness probe takes over.
              startupProbe: {
                httpGet: httpGet(healthPaths.liveness),
                periodSeconds: 2,
                failureThreshold: 30,
              },
              livenessProbe: {
                httpGet: httpGet(healthPaths.liveness),
                periodSeconds: 10,
                timeoutSeconds: 2,
                failureThreshold: 3,
              },
              readinessProbe: {
                httpGet: httpGet(healthPaths.readiness),
                periodSeconds: 5,
                timeoutSeconds: 2,
                failureThreshold: 3,
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                capabilities: { drop: ['ALL'] },
                seccompProfile: { type: 'RuntimeDefault' },
              },
              volumeMounts: [
                { name: 'tmp', mountPath: '/tmp' },
                ...(hasSecrets
                  ? [
                      {
                        name: 'secrets',
                        mountPath: SECRETS_DIR,
                        readOnly: true,
                      },
                    ]
                  : []),
              ],
            },
          ],
          volumes: [
            { name: 'tmp', emptyDir: {} },
            ...(hasSecrets
              ? [
                  {
                    name: 'secrets',
                    // No subPath: the kubelet then updates the files when the secrets rotate.
                    secret: {
                      secretName: secretsSecretName(name),
                      defaultMode: 0o440,
                    },
                  },
                ]
              : []),
          ],
        },
      },
    },
  };
}

/** The ClusterIP Service of a `service` workload, on the same port as the container. */
export function buildService(
  spec: Pick<WorkloadSpec, 'name' | 'workload' | 'port'>,
): ManifestObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: spec.name, labels: appLabels(spec.name, spec.workload) },
    spec: {
      type: 'ClusterIP',
      selector: selectorLabels(spec.name),
      ports: [
        {
          name: HTTP_PORT_NAME,
          port: spec.port,
          targetPort: HTTP_PORT_NAME,
          protocol: 'TCP',
        },
      ],
    },
  };
}

/** Scales the Deployment between `hpa.min` and `hpa.max` replicas on CPU use. */
export function buildHorizontalPodAutoscaler(
  spec: Pick<WorkloadSpec, 'name' | 'workload' | 'hpa'>,
): ManifestObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: spec.name, labels: appLabels(spec.name, spec.workload) },
    spec: {
      scaleTargetRef: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: spec.name,
      },
      minReplicas: spec.hpa.min,
      maxReplicas: spec.hpa.max,
      metrics: [
        {
          type: 'Resource',
          resource: {
            name: 'cpu',
            target: {
              type: 'Utilization',
              averageUtilization: HPA_CPU_UTILIZATION,
            },
          },
        },
      ],
    },
  };
}

/**
 * Lets node drains evict one pod at a time. `maxUnavailable: 1` rather than `minAvailable: 1`: with a single replica,
 * `minAvailable: 1` allows zero evictions and blocks every drain and cluster upgrade, while `maxUnavailable: 1`
 * always allows one. Unhealthy pods may always be evicted, so a crash-looping app cannot block a drain either.
 */
export function buildPodDisruptionBudget(
  spec: Pick<WorkloadSpec, 'name' | 'workload'>,
): ManifestObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: spec.name, labels: appLabels(spec.name, spec.workload) },
    spec: {
      maxUnavailable: 1,
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
      selector: { matchLabels: selectorLabels(spec.name) },
    },
  };
}
