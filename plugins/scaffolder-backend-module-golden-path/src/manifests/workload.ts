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
  /** The `docker-registry` Secret pods pull the image with, for a private registry. */
  imagePullSecret?: string;
  /** Declared secret names, e.g. `DB_PASSWORD`; each is a file under {@link SECRETS_DIR}. */
  secrets: readonly string[];
  /** OTLP/HTTP endpoint the app exports to; the egress NetworkPolicy lets the app reach it. */
  otlpEndpoint: string;
  /** Plain (non-secret) environment variables, e.g. a broker URL. */
  env: Readonly<Record<string, string>>;
  /** In-cluster destinations the app may connect to besides DNS and the collector, e.g. a message broker. */
  egress: ReadonlyArray<{ namespace: string; port: number }>;
}

/**
 * How long the `preStop` hook sleeps before the container gets SIGTERM: the time endpoint controllers, kube-proxy and
 * ingress controllers need to stop sending new requests to a terminating pod.
 */
export const PRE_STOP_SLEEP_SECONDS = 5;

/**
 * The shutdown delay the golden-path services default to (`SHUTDOWN_DELAY`): after SIGTERM they report not ready
 * and keep serving this long, for load balancers outside the cluster that only notice through the readiness probe.
 */
export const APP_SHUTDOWN_DELAY_SECONDS = 5;

/** The longest the services take to finish in-flight work after the delay (the Java and Node drain timeouts). */
export const APP_DRAIN_SECONDS = 20;

/**
 * Seconds Kubernetes waits from the start of termination (the preStop sleep counts) before killing the container:
 * preStop sleep + shutdown delay + drain, plus room to flush telemetry.
 */
export const TERMINATION_GRACE_PERIOD_SECONDS =
  PRE_STOP_SLEEP_SECONDS + APP_SHUTDOWN_DELAY_SECONDS + APP_DRAIN_SECONDS + 15;

/** Set by kustomize in each overlay to the image tag the overlay runs (see `serviceVersionReplacements`). */
export const SERVICE_VERSION_ENV = 'SERVICE_VERSION';

/**
 * Resource attributes only the pod knows, appended to the policy's `OTEL_RESOURCE_ATTRIBUTES` (from the ConfigMap,
 * which Kubernetes expands `$(OTEL_RESOURCE_ATTRIBUTES)` to): the version the overlay deploys and, from the Downward
 * API, where the pod runs.
 */
const DOWNWARD_ENV = [
  {
    name: 'K8S_POD_NAME',
    valueFrom: { fieldRef: { fieldPath: 'metadata.name' } },
  },
  {
    name: 'K8S_NAMESPACE_NAME',
    valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } },
  },
  {
    name: 'K8S_NODE_NAME',
    valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } },
  },
];
const OTEL_RESOURCE_ATTRIBUTES_VALUE = [
  '$(OTEL_RESOURCE_ATTRIBUTES)',
  `service.version=$(${SERVICE_VERSION_ENV})`,
  'k8s.pod.name=$(K8S_POD_NAME)',
  'k8s.namespace.name=$(K8S_NAMESPACE_NAME)',
  'k8s.node.name=$(K8S_NODE_NAME)',
].join(',');

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
          ...(spec.imagePullSecret
            ? { imagePullSecrets: [{ name: spec.imagePullSecret }] }
            : {}),
          // Spread replicas over zones and nodes, so losing one takes out as few as possible; never blocks scheduling.
          topologySpreadConstraints: [
            'topology.kubernetes.io/zone',
            'kubernetes.io/hostname',
          ].map(topologyKey => ({
            maxSkew: 1,
            topologyKey,
            whenUnsatisfiable: 'ScheduleAnyway',
            labelSelector: { matchLabels: selectorLabels(name) },
            matchLabelKeys: ['pod-template-hash'],
          })),
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
                {
                  name: 'SHUTDOWN_DELAY',
                  value: `${APP_SHUTDOWN_DELAY_SECONDS}s`,
                },
                ...DOWNWARD_ENV,
                // Replaced by each overlay's kustomize replacements with the tag it deploys.
                { name: SERVICE_VERSION_ENV, value: 'unknown' },
                {
                  name: 'OTEL_RESOURCE_ATTRIBUTES',
                  value: OTEL_RESOURCE_ATTRIBUTES_VALUE,
                },
              ],
              envFrom: [{ configMapRef: { name: otelConfigMapName(name) } }],
              // Kubernetes keeps routing new requests to a terminating pod for a few seconds; keep serving them.
              lifecycle: {
                preStop: { sleep: { seconds: PRE_STOP_SLEEP_SECONDS } },
              },
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
