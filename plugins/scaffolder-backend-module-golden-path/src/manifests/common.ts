import { GOLDEN_PATH_ANNOTATIONS } from '@golden-path/common';

/** A Kubernetes object as the builders return it: plain data, ready for YAML. */
export interface ManifestObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

/** A service takes traffic through a Service; a worker has no Service and accepts no ingress. */
export type WorkloadKind = 'service' | 'worker';

/** The workload kinds, for input schemas. */
export const WORKLOAD_KINDS = ['service', 'worker'] as const;

/**
 * Where the app reads its secrets: one read-only file per declared secret, named after it (`$SECRETS_DIR/DB_PASSWORD`).
 * Mounted as a volume rather than passed as env so rotated values reach the running pod.
 */
export const SECRETS_DIR = '/var/run/secrets/app';

/**
 * The user and group the container runs as: distroless `nonroot` (65532). Set as numbers because `runAsNonRoot`
 * cannot verify a named image user such as `USER nonroot:nonroot`, and the pod would not start.
 */
export const RUN_AS_ID = 65532;

/** The Secret the ExternalSecret creates and the Deployment mounts at {@link SECRETS_DIR}. */
export const secretsSecretName = (name: string) => `${name}-secrets`;

/** The ConfigMap generated from `deploy/base/otel.env`, loaded into the container with `envFrom`. */
export const otelConfigMapName = (name: string) => `${name}-otel`;

/** The labels that select the app's pods: only the name, because a Deployment's selector can never change. */
export function selectorLabels(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name };
}

/**
 * The labels every object of the app carries. `backstage.io/kubernetes-id` lets the Backstage Kubernetes plugin
 * find the objects of the catalog entity with the same annotation.
 */
export function appLabels(
  name: string,
  workload?: WorkloadKind,
): Record<string, string> {
  return {
    ...selectorLabels(name),
    ...(workload ? { 'app.kubernetes.io/component': workload } : {}),
    [GOLDEN_PATH_ANNOTATIONS.kubernetesId]: name,
  };
}

const QUANTITY = /^(\d+(?:\.\d+)?|\.\d+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const SUFFIX_FACTORS: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/**
 * The value of a Kubernetes resource quantity such as `500m`, `1.5` or `256Mi`, or undefined when it is not one of
 * the plain forms (exponent forms like `1e3` are left out on purpose: nobody writes them by hand).
 */
export function parseQuantity(quantity: string): number | undefined {
  const match = QUANTITY.exec(quantity);
  return match ? Number(match[1]) * SUFFIX_FACTORS[match[2] ?? ''] : undefined;
}
