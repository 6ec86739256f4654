import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ClusterAnswer,
  ComponentRuntime,
  EnvironmentRuntime,
  GoldenPathPolicy,
  LiveWorkload,
  entityDeployEnvironments,
  runtimeDrift,
} from '@golden-path/common';

export interface RuntimeService {
  getRuntime(
    entityRefs: string[],
    options: { credentials: BackstageCredentials },
  ): Promise<ComponentRuntime[]>;
}

/** One answer of the Kubernetes plugin's `POST /resources/workloads/query`, reduced to what we read. */
interface ClusterObjects {
  cluster: { name: string };
  errors?: Array<{ errorType: string; message?: string; statusCode?: number }>;
  resources?: Array<{ type: string; resources: any[] }>;
}

/** A hung cluster must not hang the card: each call to the Kubernetes plugin gets this long. */
const KUBERNETES_TIMEOUT_MS = 10_000;
/** Components asked about at once, so one dashboard page does not fan out into a burst on every cluster. */
const CONCURRENCY = 4;

/**
 * Which environment each Kubernetes cluster serves, from `serviceInsights.kubernetes.environmentClusters`
 * (environment → cluster names); by default a cluster serves the environment of the same name.
 */
export function readEnvironmentClusters(
  config: Config,
  environments: readonly string[],
): (cluster: string) => string | undefined {
  const mapping = config.getOptionalConfig(
    'serviceInsights.kubernetes.environmentClusters',
  );
  const byCluster = new Map<string, string>();
  for (const environment of mapping?.keys() ?? []) {
    if (!environments.includes(environment)) {
      throw new Error(
        `serviceInsights.kubernetes.environmentClusters.${environment}: not a deploy environment of the policy (${environments.join(
          ', ',
        )})`,
      );
    }
    for (const cluster of mapping!.getStringArray(environment)) {
      byCluster.set(cluster, environment);
    }
  }
  if (mapping) return cluster => byCluster.get(cluster);
  return cluster => (environments.includes(cluster) ? cluster : undefined);
}

/**
 * Whether each component runs, per environment, and whether the live objects carry the catalog's cost-tag labels.
 * Asks Backstage's Kubernetes plugin (its cluster locators and auth, on behalf of the caller) rather than the
 * clusters directly, so it sees exactly the clusters the platform team configured there.
 */
export function createRuntimeService(options: {
  auth: AuthService;
  discovery: DiscoveryService;
  catalog: CatalogService;
  policy: GoldenPathPolicy;
  environmentOf: (cluster: string) => string | undefined;
  logger: LoggerService;
}): RuntimeService {
  const { auth, discovery, catalog, policy, environmentOf, logger } = options;

  async function kubernetes(
    path: string,
    credentials: BackstageCredentials,
    body?: object,
  ): Promise<any> {
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'kubernetes',
    });
    const url = `${await discovery.getBaseUrl('kubernetes')}${path}`;
    const response = await fetch(url, {
      method: body ? 'POST' : 'GET',
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
      redirect: 'error',
      signal: AbortSignal.timeout(KUBERNETES_TIMEOUT_MS),
    });
    if (!response.ok) {
      throw new Error(
        `the Kubernetes plugin answered ${response.status} for ${path}`,
      );
    }
    return response.json();
  }

  async function runtimeOf(
    entity: Entity,
    clusters: string[],
    credentials: BackstageCredentials,
  ): Promise<EnvironmentRuntime[]> {
    const environments = entityDeployEnvironments(entity).length
      ? entityDeployEnvironments(entity)
      : policy.deploy.environments;
    const served = clusters.filter(c => environmentOf(c) !== undefined);
    let items: ClusterObjects[] = [];
    let failure: string | undefined;
    if (served.length > 0) {
      try {
        items = (
          await kubernetes('/resources/workloads/query', credentials, {
            entityRef: stringifyEntityRef(entity),
          })
        ).items;
      } catch (error) {
        failure = String((error as Error).message ?? error);
        logger.warn(`runtime of ${stringifyEntityRef(entity)}: ${failure}`);
      }
    }
    const answers: ClusterAnswer[] = served.map(cluster => {
      const environment = environmentOf(cluster)!;
      if (failure) return { cluster, environment, error: failure };
      const item = items.find(i => i.cluster.name === cluster);
      const deployments = item?.resources?.find(r => r.type === 'deployments');
      // Errors about other object types (pods, ingresses, ...) do not stop us judging the Deployments.
      if (!deployments && item?.errors?.length) {
        return {
          cluster,
          environment,
          error: item.errors.map(e => e.message ?? e.errorType).join('; '),
        };
      }
      return {
        cluster,
        environment,
        workloads: (deployments?.resources ?? []).map(toWorkload),
      };
    });
    return runtimeDrift(policy, entity, environments, answers);
  }

  return {
    async getRuntime(entityRefs, { credentials }) {
      const { items: entities } = await catalog.getEntitiesByRefs(
        { entityRefs },
        { credentials },
      );
      // The cluster list is the same for every component: ask once per request.
      let clusters: string[] = [];
      try {
        clusters = (await kubernetes('/clusters', credentials)).items.map(
          (c: { name: string }) => c.name,
        );
      } catch (error) {
        logger.warn(`runtime: cannot list Kubernetes clusters: ${error}`);
      }
      const results: ComponentRuntime[] = new Array(entityRefs.length);
      let next = 0;
      const worker = async () => {
        while (next < entityRefs.length) {
          const index = next++;
          const entity = entities[index];
          results[index] = entity
            ? {
                entityRef: entityRefs[index],
                found: true,
                environments: await runtimeOf(entity, clusters, credentials),
              }
            : { entityRef: entityRefs[index], found: false, environments: [] };
        }
      };
      await Promise.all(
        Array.from(
          { length: Math.min(CONCURRENCY, entityRefs.length) },
          worker,
        ),
      );
      return results;
    },
  };
}

function toWorkload(deployment: any): LiveWorkload {
  return {
    kind: 'Deployment',
    namespace: deployment.metadata?.namespace ?? '',
    name: deployment.metadata?.name ?? '',
    labels: deployment.metadata?.labels ?? {},
    podTemplateLabels: deployment.spec?.template?.metadata?.labels ?? {},
    desiredReplicas: deployment.spec?.replicas ?? 1,
    readyReplicas: deployment.status?.readyReplicas ?? 0,
    availableReplicas: deployment.status?.availableReplicas ?? 0,
  };
}
