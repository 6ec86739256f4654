import { isIP } from 'node:net';
import {
  ManifestObject,
  WorkloadKind,
  appLabels,
  selectorLabels,
} from './common';

/** Name of the NetworkPolicy that denies all traffic in the app's namespace unless another policy allows it. */
export const DEFAULT_DENY_POLICY_NAME = 'default-deny';

/** Where the OTLP endpoint is, as far as NetworkPolicies care. */
export type CollectorTarget =
  /** A Service in the cluster: `<service>.<namespace>[.svc[.<cluster domain>]]`; no namespace means the app's own. */
  | { type: 'cluster'; namespace?: string; port: number }
  /** An IP address. */
  | { type: 'ip'; cidr: string; port: number }
  /** A host outside the cluster, e.g. a SaaS backend: its addresses are unknown, so any address on that port. */
  | { type: 'external'; port: number }
  /** localhost: a sidecar or node agent reached over loopback, which NetworkPolicies do not filter. */
  | { type: 'loopback' };

/**
 * Reads the OTLP endpoint the way the egress policy needs it, e.g. `http://otel-collector.observability:4318` is
 * port 4318 of a Service in namespace `observability`. A two-label host, or one whose third label is `svc`, is taken
 * as a cluster Service name; longer names are outside hosts. The port is the URL's (default 80 or 443), which
 * assumes the collector Service's port equals its pods' port, as in the OpenTelemetry Collector chart.
 */
export function otlpCollectorTarget(otlpEndpoint: string): CollectorTarget {
  const url = new URL(otlpEndpoint);
  const defaultPort = url.protocol === 'https:' ? 443 : 80;
  const port = url.port ? Number(url.port) : defaultPort;
  const host = url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (host === 'localhost' || host === '127.0.0.1' || host === '::1') {
    return { type: 'loopback' };
  }
  const ipVersion = isIP(host);
  if (ipVersion !== 0) {
    return {
      type: 'ip',
      cidr: `${host}/${ipVersion === 4 ? 32 : 128}`,
      port,
    };
  }
  const labels = host.split('.');
  if (labels.length === 1) {
    return { type: 'cluster', port };
  }
  if (labels.length === 2 || labels[2] === 'svc') {
    return { type: 'cluster', namespace: labels[1], port };
  }
  return { type: 'external', port };
}

const inNamespace = (namespace: string) => ({
  namespaceSelector: {
    matchLabels: { 'kubernetes.io/metadata.name': namespace },
  },
});

function collectorEgressRules(target: CollectorTarget): object[] {
  if (target.type === 'loopback') {
    return [];
  }
  let to: object[];
  if (target.type === 'cluster') {
    to = target.namespace
      ? [inNamespace(target.namespace)]
      : [{ podSelector: {} }];
  } else if (target.type === 'ip') {
    to = [{ ipBlock: { cidr: target.cidr } }];
  } else {
    to = [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }];
  }
  return [{ to, ports: [{ protocol: 'TCP', port: target.port }] }];
}

/**
 * The app's NetworkPolicies: deny everything in the namespace, then allow what the app needs. A service accepts
 * connections on its port from anywhere (a worker accepts none; kubelet probes are not subject to NetworkPolicies);
 * both may resolve DNS in kube-system and export traces to the collector. Anything else the app calls (databases,
 * other services, outside APIs) needs its own allow policy.
 */
export function buildNetworkPolicies(spec: {
  name: string;
  workload: WorkloadKind;
  port: number;
  otlpEndpoint: string;
  egress?: ReadonlyArray<{ namespace: string; port: number }>;
}): ManifestObject[] {
  const { name, workload } = spec;
  const labels = appLabels(name, workload);
  const podSelector = { matchLabels: selectorLabels(name) };
  const policies: ManifestObject[] = [
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: DEFAULT_DENY_POLICY_NAME, labels },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    },
  ];
  if (workload === 'service') {
    policies.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `${name}-allow-ingress`, labels },
      spec: {
        podSelector,
        policyTypes: ['Ingress'],
        ingress: [{ ports: [{ protocol: 'TCP', port: spec.port }] }],
      },
    });
  }
  policies.push({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: `${name}-allow-egress`, labels },
    spec: {
      podSelector,
      policyTypes: ['Egress'],
      egress: [
        {
          to: [inNamespace('kube-system')],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
        ...collectorEgressRules(otlpCollectorTarget(spec.otlpEndpoint)),
        ...(spec.egress ?? []).map(target => ({
          to: [inNamespace(target.namespace)],
          ports: [{ protocol: 'TCP', port: target.port }],
        })),
      ],
    },
  });
  return policies;
}
