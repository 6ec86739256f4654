import { Entity } from '@backstage/catalog-model';
import { costTagsOfEntity, projectCostTags } from './costTags';
import { GoldenPathPolicy } from './policy';

/**
 * The cost tag whose value differs per deploy environment: each overlay sets it to its own environment, so what a
 * live object must carry for it is the environment it runs in, not the catalog's value.
 */
export const ENVIRONMENT_COST_TAG = 'environment';

/** A Deployment as it runs in a cluster, reduced to what the runtime check compares. */
export interface LiveWorkload {
  kind: string;
  namespace: string;
  name: string;
  labels: Record<string, string>;
  podTemplateLabels: Record<string, string>;
  desiredReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
}

/** What one cluster answered for a component: its workloads, or why it could not say. */
export type ClusterAnswer =
  | { cluster: string; environment: string; workloads: LiveWorkload[] }
  | { cluster: string; environment: string; error: string };

/** A difference between what runs and what the catalog says, with the object, and how to fix it. */
export interface RuntimeProblem {
  /** e.g. `prod Deployment payments-api` */
  object: string;
  /** e.g. `prod Deployment payments-api lacks label cost-center (the catalog says CC-1001)` */
  message: string;
  fix: string;
}

export type RuntimeState =
  | 'running'
  | 'degraded'
  | 'not-deployed'
  | 'no-cluster'
  | 'unreachable';

/** Whether a component runs in one environment, and whether the live objects match the catalog. */
export interface EnvironmentRuntime {
  environment: string;
  state: RuntimeState;
  clusters: string[];
  desiredReplicas: number;
  readyReplicas: number;
  problems: RuntimeProblem[];
}

/** What `GET /api/service-insights/runtime?ref=…` answers for one component. */
export interface ComponentRuntime {
  entityRef: string;
  /** False when the component is not in the catalog or the caller may not read it. */
  found: boolean;
  environments: EnvironmentRuntime[];
}

/** The body of `GET /api/service-insights/runtime`: one item per `ref`, in the order asked. */
export interface RuntimeResponse {
  items: ComponentRuntime[];
}

/** How many components one runtime request may ask about: a dashboard page, not the catalog. */
export const MAX_RUNTIME_REFS = 50;

/**
 * The labels every live workload of `entity` must carry in `environment`: its catalog cost tags projected to
 * Kubernetes label keys by the policy, with the environment tag set to the environment itself. Tags the catalog
 * lacks are not expected (the catalog's own findings report those).
 */
export function expectedWorkloadLabels(
  policy: GoldenPathPolicy,
  entity: Entity,
  environment: string,
): Record<string, string> {
  const tags = costTagsOfEntity(policy, entity);
  const envTag = policy.costTags.tags.find(
    t => t.name === ENVIRONMENT_COST_TAG,
  );
  if (envTag) tags[envTag.name] = environment;
  return projectCostTags(policy, tags).k8sLabels;
}

/**
 * Compares what runs with what the catalog says, per environment: `no-cluster` when no cluster serves it,
 * `unreachable` when a cluster could not be asked, `not-deployed` when no workload of the component is there,
 * else `running` (every replica ready) or `degraded`, each with the labels a live object lacks or contradicts.
 */
export function runtimeDrift(
  policy: GoldenPathPolicy,
  entity: Entity,
  environments: readonly string[],
  answers: readonly ClusterAnswer[],
): EnvironmentRuntime[] {
  const componentName = entity.metadata.name;
  return environments.map(environment => {
    const here = answers.filter(a => a.environment === environment);
    const base = {
      environment,
      clusters: here.map(a => a.cluster),
      desiredReplicas: 0,
      readyReplicas: 0,
    };
    if (here.length === 0) {
      return {
        ...base,
        state: 'no-cluster',
        problems: [
          {
            object: `${environment} cluster`,
            message: `no cluster is configured for ${environment}`,
            fix: `Add the ${environment} cluster to kubernetes.clusterLocatorMethods and map it to ${environment} in serviceInsights.kubernetes.environmentClusters`,
          },
        ],
      };
    }
    const problems: RuntimeProblem[] = [];
    const workloads: LiveWorkload[] = [];
    for (const answer of here) {
      if ('error' in answer) {
        problems.push({
          object: `${environment} cluster ${answer.cluster}`,
          message: `cluster ${answer.cluster} could not be asked: ${answer.error}`,
          fix: `Check the Kubernetes plugin's access to cluster ${answer.cluster} (service account token, URL, RBAC)`,
        });
      } else {
        workloads.push(...answer.workloads);
      }
    }
    if (workloads.length === 0) {
      const unreachable = problems.length === here.length;
      return {
        ...base,
        state: unreachable ? 'unreachable' : 'not-deployed',
        problems: unreachable
          ? problems
          : [
              ...problems,
              {
                object: `${environment} Deployment ${componentName}`,
                message: `not deployed in ${environment}`,
                fix: `Check the Flux Kustomization ${componentName}-${environment} in flux-system (flux get kustomizations)`,
              },
            ],
      };
    }
    const expected = expectedWorkloadLabels(policy, entity, environment);
    for (const workload of workloads) {
      problems.push(
        ...labelProblems(environment, workload, expected, componentName),
      );
    }
    const desiredReplicas = sum(workloads.map(w => w.desiredReplicas));
    const readyReplicas = sum(workloads.map(w => w.readyReplicas));
    if (readyReplicas < desiredReplicas) {
      problems.push({
        object: `${environment} Deployment ${workloads[0].name}`,
        message: `${readyReplicas} of ${desiredReplicas} replicas ready in ${environment}`,
        fix: `kubectl describe deployment ${workloads[0].name} -n ${workloads[0].namespace}`,
      });
    }
    return {
      ...base,
      // Zero of zero counts as running: a worker scaled to zero by its autoscaler is where it should be.
      state: readyReplicas >= desiredReplicas ? 'running' : 'degraded',
      desiredReplicas,
      readyReplicas,
      problems,
    };
  });
}

function labelProblems(
  environment: string,
  workload: LiveWorkload,
  expected: Record<string, string>,
  componentName: string,
): RuntimeProblem[] {
  const object = `${environment} ${workload.kind} ${workload.name}`;
  const problems: RuntimeProblem[] = [];
  for (const [key, want] of Object.entries(expected)) {
    for (const [where, labels] of [
      ['', workload.labels],
      [' pod template', workload.podTemplateLabels],
    ] as const) {
      const have = labels[key];
      if (have === want) continue;
      problems.push({
        object: `${object}${where}`,
        message:
          have === undefined
            ? `${object}${where} lacks label ${key} (the catalog says ${want})`
            : `${object}${where} has label ${key}=${have}, the catalog says ${want}`,
        fix: `The overlay in Git sets ${key}: ${want}; re-apply it (flux reconcile kustomization ${componentName}-${environment} --with-source) and find who changed the live object`,
      });
    }
  }
  return problems;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
