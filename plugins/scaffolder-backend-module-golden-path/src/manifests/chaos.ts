import { ChaosPolicy } from '@golden-path/common';
import { appLabels, ManifestObject, selectorLabels } from './common';

/** Chaos Mesh's API group and version, as its CRDs serve them (chaos-mesh.org/v1alpha1, Chaos Mesh 2.x). */
export const CHAOS_MESH_API_VERSION = 'chaos-mesh.org/v1alpha1';

/** The annotation that pauses a Chaos Mesh Schedule (`experiment.chaos-mesh.org/pause: "true"`). */
export const CHAOS_PAUSE_ANNOTATION = 'experiment.chaos-mesh.org/pause';

/** The file, in the chosen environment's overlay, that holds the experiments. */
export const CHAOS_FILE = 'chaos.yaml';

/** A dependency the service calls: its name (for the experiment's name) and host (what the delay is toward). */
export interface ChaosDependency {
  name: string;
  host: string;
}

/**
 * The experiments of one service, as Chaos Mesh Schedules, all on weekdays inside the policy's business hours:
 * every hour one of the service's pods is killed (the rest must carry on, and the PodDisruptionBudget and probes
 * must bring it back), and every hour at half past the network toward each dependency is slowed for a while.
 * Every experiment selects only the service's own pods, by the Deployment's selector label in its namespace; the
 * delay is added on those pods' traffic toward the dependency only (direction `to`), never on the dependency.
 */
export function buildChaosSchedules(options: {
  name: string;
  namespace: string;
  dependencies: readonly ChaosDependency[];
  policy: ChaosPolicy;
}): ManifestObject[] {
  const { name, namespace, dependencies, policy } = options;
  const { start, end } = policy.businessHours;
  // Hours in which an experiment may start; `end` is when they must be over.
  const hours = start === end - 1 ? `${start}` : `${start}-${end - 1}`;
  const cron = (minute: number) =>
    `CRON_TZ=${policy.timezone} ${minute} ${hours} * * 1-5`;
  const selector = {
    namespaces: [namespace],
    labelSelectors: selectorLabels(name),
  };
  const metadata = (suffix: string) => ({
    name: `${name}-${suffix}`,
    labels: appLabels(name),
  });
  const podKill: ManifestObject = {
    apiVersion: CHAOS_MESH_API_VERSION,
    kind: 'Schedule',
    metadata: metadata('pod-kill'),
    spec: {
      schedule: cron(0),
      concurrencyPolicy: 'Forbid',
      historyLimit: 5,
      type: 'PodChaos',
      podChaos: { action: 'pod-kill', mode: 'one', selector },
    },
  };
  const delays: ManifestObject[] = dependencies.map(dependency => ({
    apiVersion: CHAOS_MESH_API_VERSION,
    kind: 'Schedule',
    metadata: metadata(`delay-${dependency.name}`),
    spec: {
      schedule: cron(30),
      concurrencyPolicy: 'Forbid',
      historyLimit: 5,
      type: 'NetworkChaos',
      networkChaos: {
        action: 'delay',
        mode: 'all',
        selector,
        direction: 'to',
        externalTargets: [dependency.host],
        delay: { latency: policy.networkDelay.latency },
        duration: `${policy.networkDelay.durationMinutes}m`,
      },
    },
  }));
  return [podKill, ...delays];
}
