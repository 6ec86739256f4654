// Applies what a template generates to a real API server the way Flux would: CRDs from each project's own
// module, the overlay server-side into the namespace Flux's Kustomization targets (PodSecurity `restricted`
// enforced there), and the Flux objects into flux-system.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import type { ControlPlane } from './controlPlane.ts';
import type { K8sObject } from '../../template-test/src/checks/manifests.ts';
import {
  crdFiles,
  crdsDir,
} from '../../template-test/src/checks/crdValidation.ts';

/** The field manager Flux's kustomize-controller applies with. */
export const FIELD_MANAGER = 'kustomize-controller';

/** Groups the API server serves itself; everything else needs a CRD. */
const BUILT_IN_GROUP =
  /^(|apps|batch|policy|autoscaling|networking\.k8s\.io|rbac\.authorization\.k8s\.io|coordination\.k8s\.io|scheduling\.k8s\.io)$/;

const groupOf = (apiVersion: string) =>
  apiVersion.includes('/') ? apiVersion.split('/')[0] : '';

/** The CRD folder, or an error saying how to get it: the objects a template generates need their CRDs. */
function requiredCrdsDir(): string {
  const dir = crdsDir();
  if (!dir) {
    throw new Error(
      `no CRD folder: ./scripts/test collects the CRDs into .tools/kube/crds (ensure_kube_crds in scripts/lib/kube-tools.sh), or set KUBE_CRDS_DIR`,
    );
  }
  return dir;
}

/** Installs the CRDs the objects need and waits until they are served; fails naming a kind without a CRD. */
export function installCrdsFor(cluster: ControlPlane, objects: K8sObject[]) {
  const files = crdFiles();
  const needed = new Set<string>();
  for (const object of objects) {
    const group = groupOf(object.apiVersion);
    if (BUILT_IN_GROUP.test(group)) continue;
    const file = files.get(`${group}/${object.kind}`);
    if (!file) {
      throw new Error(
        `no CRD for ${object.apiVersion} ${
          object.kind
        } in ${requiredCrdsDir()}`,
      );
    }
    needed.add(file);
  }
  for (const file of needed) {
    cluster.kubectl([
      'apply',
      '--server-side',
      '--field-manager=platform',
      '-f',
      file,
    ]);
  }
  if (needed.size > 0) {
    cluster.kubectl([
      'wait',
      '--for=condition=Established',
      '--timeout=60s',
      ...[...needed].flatMap(f => ['-f', f]),
    ]);
  }
}

/** A namespace as the platform provisions it for an app: PodSecurity `restricted` enforced, warned and audited. */
export function createRestrictedNamespace(cluster: ControlPlane, name: string) {
  cluster.kubectl(
    ['apply', '--server-side', '--field-manager=platform', '-f', '-'],
    YAML.stringify({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name,
        labels: Object.fromEntries(
          ['enforce', 'warn', 'audit'].map(mode => [
            `pod-security.kubernetes.io/${mode}`,
            'restricted',
          ]),
        ),
      },
    }),
  );
}

export const toYaml = (objects: K8sObject[]) =>
  objects.map(o => YAML.stringify(o)).join('---\n');

/**
 * Server-side apply as Flux does it. Returns what the API server warned about (PodSecurity, deprecations): a
 * warning here is a warning in every real rollout, so callers expect none.
 */
export function serverSideApply(
  cluster: ControlPlane,
  objects: K8sObject[],
  namespace: string,
  options: { dryRun?: boolean } = {},
): string[] {
  const { stderr } = cluster.kubectl(
    [
      'apply',
      '--server-side',
      `--field-manager=${FIELD_MANAGER}`,
      `--namespace=${namespace}`,
      ...(options.dryRun ? ['--dry-run=server'] : []),
      '-f',
      '-',
    ],
    toYaml(objects),
  );
  return stderr
    .split('\n')
    .map(line => line.trim())
    .filter(line => /^warning/i.test(line));
}

/**
 * What a second apply would change, per `kubectl diff --server-side` (empty: nothing). kubectl diff exits 1 when
 * it finds differences, which is the answer here, not a failure.
 */
export function serverSideDiff(
  cluster: ControlPlane,
  objects: K8sObject[],
  namespace: string,
): string {
  try {
    cluster.kubectl(
      [
        'diff',
        '--server-side',
        `--field-manager=${FIELD_MANAGER}`,
        `--namespace=${namespace}`,
        '-f',
        '-',
      ],
      toYaml(objects),
    );
    return '';
  } catch (error) {
    return String(error);
  }
}

/** The Flux Kustomization of an environment: where its overlay goes (`targetNamespace`). */
export function fluxObjects(repoDir: string, environment: string): K8sObject[] {
  return YAML.parseAllDocuments(
    readFileSync(join(repoDir, 'deploy/flux', `${environment}.yaml`), 'utf8'),
  )
    .map(d => d.toJS())
    .filter(Boolean);
}

export function jsonOf(cluster: ControlPlane, args: string[]): any {
  return JSON.parse(cluster.kubectl(['get', ...args, '-o', 'json']).stdout);
}

/** The object types Backstage's Kubernetes plugin fetches by default, which its service account must be able to list. */
const KUBERNETES_PLUGIN_READS = [
  {
    apiGroups: [''],
    resources: [
      'pods',
      'services',
      'configmaps',
      'limitranges',
      'resourcequotas',
    ],
  },
  {
    apiGroups: ['apps'],
    resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'],
  },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'] },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'] },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses'] },
];

/**
 * A read-only service account for Backstage's Kubernetes plugin, as a platform team creates one (get, list and
 * watch on what the plugin fetches, nothing else), and a token for it from the TokenRequest API.
 */
export function backstageReaderToken(cluster: ControlPlane): string {
  const name = 'backstage-reader';
  cluster.kubectl(
    ['apply', '--server-side', '--field-manager=platform', '-f', '-'],
    toYaml([
      {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name, namespace: 'kube-system' },
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name },
        rules: KUBERNETES_PLUGIN_READS.map(rule => ({
          ...rule,
          verbs: ['get', 'list', 'watch'],
        })),
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name,
        },
        subjects: [{ kind: 'ServiceAccount', name, namespace: 'kube-system' }],
      },
    ] as K8sObject[]),
  );
  return cluster
    .kubectl([
      'create',
      'token',
      name,
      '--namespace=kube-system',
      '--duration=2h',
    ])
    .stdout.trim();
}

/** The `kubernetes` config block that points Backstage's Kubernetes plugin at these clusters, by name. */
export function kubernetesPluginConfig(
  clusters: Array<{ name: string; cluster: ControlPlane; token: string }>,
) {
  return {
    serviceLocatorMethod: { type: 'multiTenant' },
    clusterLocatorMethods: [
      {
        type: 'config',
        clusters: clusters.map(({ name, cluster, token }) => ({
          name,
          url: cluster.server,
          authProvider: 'serviceAccount',
          serviceAccountToken: token,
          // The test API server's certificate is self-signed; a real cluster gets caData instead.
          skipTLSVerify: true,
          skipMetricsLookup: true,
        })),
      },
    ],
  };
}
