import {
  AutoscalingEngine,
  PeakWindow,
  ReplicaBounds,
} from '@golden-path/common';
import { ManifestObject, WorkloadKind, appLabels } from './common';

/** The autoscaler scales out when the pods' average CPU use passes this share of their CPU request. */
export const CPU_UTILIZATION_TARGET = 70;

/**
 * Scale up fast (double, or add 4 pods, every 15 s, with no stabilisation), scale down slowly (at most a fifth of the
 * pods a minute, once the recommendation has stayed lower for 5 minutes), so a dip between bursts frees nothing.
 */
export const SCALING_BEHAVIOR = {
  scaleUp: {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [
      { type: 'Percent', value: 100, periodSeconds: 15 },
      { type: 'Pods', value: 4, periodSeconds: 15 },
    ],
  },
  scaleDown: {
    stabilizationWindowSeconds: 300,
    selectPolicy: 'Min',
    policies: [{ type: 'Percent', value: 20, periodSeconds: 60 }],
  },
};

/** KEDA's NATS JetStream scaler: scale a worker on its durable consumer's backlog. */
export interface NatsJetStreamLag {
  /** host:port of the NATS monitoring endpoint (the `/jsz` API), e.g. `nats.nats.svc.cluster.local:8222`. */
  monitoringEndpoint: string;
  /** The NATS account of the stream; `$G` (the global account) when NATS runs without accounts. */
  account: string;
  stream: string;
  consumer: string;
  /** Pending messages per replica KEDA aims for. */
  lagThreshold: number;
}

/** What one environment's autoscaler is built from. */
export interface AutoscalingSpec {
  name: string;
  workload: WorkloadKind;
  environment: string;
  engine: AutoscalingEngine;
  /** Bounds on ordinary days. */
  bounds: ReplicaBounds;
  /** The peak windows that apply to this environment. */
  peakWindows: readonly PeakWindow[];
  natsJetStreamLag?: NatsJetStreamLag;
}

/**
 * The highest replica count allowed in an environment: its ordinary max, raised by its peak windows. A
 * ScaledObject has one upper bound, so this is the ceiling on every day; outside the windows only CPU (or backlog)
 * can take the service above its ordinary max, while the windows also raise the floor.
 */
export function ceilingOf(
  spec: Pick<AutoscalingSpec, 'bounds' | 'peakWindows'>,
) {
  return Math.max(spec.bounds.max, ...spec.peakWindows.map(w => w.max));
}

/** The environment's autoscaler: a KEDA ScaledObject, or a plain HorizontalPodAutoscaler for clusters without KEDA. */
export function buildAutoscaler(spec: AutoscalingSpec): ManifestObject {
  return spec.engine === 'keda'
    ? buildScaledObject(spec)
    : buildHorizontalPodAutoscaler(spec);
}

const cpuMetric = {
  type: 'Resource',
  resource: {
    name: 'cpu',
    target: { type: 'Utilization', averageUtilization: CPU_UTILIZATION_TARGET },
  },
};

/** Scales the Deployment within the environment's bounds on CPU use. */
export function buildHorizontalPodAutoscaler(
  spec: Pick<AutoscalingSpec, 'name' | 'workload' | 'bounds'>,
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
      minReplicas: spec.bounds.min,
      maxReplicas: spec.bounds.max,
      metrics: [cpuMetric],
      behavior: SCALING_BEHAVIOR,
    },
  };
}

/**
 * A KEDA ScaledObject (which creates and owns the HPA): a cpu trigger, one cron trigger per peak window that keeps at
 * least the window's `min` replicas running from its start to its end, and for a worker with a NATS JetStream
 * consumer the consumer lag, the better signal for queued work.
 */
export function buildScaledObject(spec: AutoscalingSpec): ManifestObject {
  const { name, natsJetStreamLag: lag } = spec;
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name, labels: appLabels(name, spec.workload) },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicaCount: spec.bounds.min,
      maxReplicaCount: ceilingOf(spec),
      advanced: {
        horizontalPodAutoscalerConfig: { name, behavior: SCALING_BEHAVIOR },
      },
      triggers: [
        {
          type: 'cpu',
          name: 'cpu',
          metricType: 'Utilization',
          metadata: { value: String(CPU_UTILIZATION_TARGET) },
        },
        ...spec.peakWindows.map(window => ({
          type: 'cron',
          name: `peak-${window.name}`,
          metadata: {
            timezone: window.timezone,
            start: window.start,
            end: window.end,
            desiredReplicas: String(Math.max(window.min, spec.bounds.min)),
          },
        })),
        ...(lag
          ? [
              {
                type: 'nats-jetstream',
                name: 'jetstream-lag',
                metadata: {
                  natsServerMonitoringEndpoint: lag.monitoringEndpoint,
                  account: lag.account,
                  stream: lag.stream,
                  consumer: lag.consumer,
                  lagThreshold: String(lag.lagThreshold),
                },
              },
            ]
          : []),
      ],
    },
  };
}
