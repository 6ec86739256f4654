import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { GoldenPathPolicy } from '@golden-path/common';
import {
  WORKLOAD_KINDS,
  WorkloadKind,
  parseQuantity,
} from '../manifests/common';
import { writeDeployManifests } from '../manifests/writeDeployManifests';
import {
  GIT_URL_PATTERN,
  gitUrlNotice,
  placeholderGitUrl,
} from '../manifests/flux';
import { AutoscalingSpec, NatsJetStreamLag } from '../manifests/autoscaling';
import { imageRepository } from '../manifests/image';
import {
  checkComponentName,
  checkSecretNames,
  invalidInput,
} from '../inputChecks';
import { ResourceQuantities, WorkloadSpec } from '../manifests/workload';
import { examples } from './deployManifests.examples';

/** The port the container listens on when the template does not say. */
export const DEFAULT_PORT = 8080;

/** An image repository without tag or digest: lowercase path components, optionally a registry host with port. */
const IMAGE_REPOSITORY =
  /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?(\/[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*)+$/;

/** Health endpoints when the template does not say; the golden-path skeletons serve these. */
export const DEFAULT_HEALTH_PATHS = {
  liveness: '/healthz',
  readiness: '/readyz',
};

/** Requests and limits when the template does not say: enough for a small HTTP service or worker. */
export const DEFAULT_RESOURCES = {
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { cpu: '500m', memory: '256Mi' },
};

/**
 * Writes the deploy manifests of a component into the workspace: a kustomize base (Deployment, Service for a
 * service, ServiceAccount, PodDisruptionBudget, NetworkPolicies, Namespace), an overlay per environment (the image,
 * the autoscaler with that environment's bounds and peak windows, an ExternalSecret when secrets are declared), the
 * Flux objects that apply each overlay (with image automation for the first) and the promotion script and workflow.
 * Touches only files under `deploy/` and `.github/workflows/promote.yaml`; keys other actions own in the shared
 * kustomizations are kept.
 *
 * @public
 */
export function createDeployManifestsAction(options: {
  policy: GoldenPathPolicy;
}) {
  const { policy } = options;
  return createTemplateAction({
    id: 'golden-path:deploy',
    description:
      "Writes Kubernetes manifests under deploy/: a kustomize base, one overlay per environment (the image from goldenPath.deploy.registry, a KEDA ScaledObject or HPA with the environment's bounds and peak windows, an ExternalSecret for the declared secrets), Flux objects that apply them with image automation for the first environment, and a promotion script and workflow for the next ones. Safe to run again: it only rewrites its own files and keys, and keeps recorded tags and digests.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z.string({
            description:
              'Component name: object names, labels, backstage.io/kubernetes-id and the namespace. Lowercase letters, digits and single hyphens, at most 63 characters.',
          }),
        workload: z =>
          z
            .enum(WORKLOAD_KINDS, {
              description:
                "'service' (default) takes traffic through a Service; 'worker' has no Service and accepts no connections.",
            })
            .optional(),
        port: z =>
          z
            .number({
              description: `Port the container listens on, 1024-65535: a service's traffic and, for both kinds, the health endpoints. Defaults to ${DEFAULT_PORT}.`,
            })
            .int()
            .optional(),
        image: z =>
          z
            .string({
              description:
                'Image repository CI pushes to, without tag or digest, e.g. ghcr.io/acme/payments-api. Defaults to <goldenPath.deploy.registry>/<name>. Tags and digests are recorded per environment by Flux image automation and promotion.',
            })
            .optional(),
        healthPaths: z =>
          z
            .object(
              {
                liveness: z
                  .string({
                    description: "Liveness path. Defaults to '/healthz'.",
                  })
                  .optional(),
                readiness: z
                  .string({
                    description: "Readiness path. Defaults to '/readyz'.",
                  })
                  .optional(),
              },
              { description: 'HTTP paths the probes call on the port.' },
            )
            .optional(),
        resources: z =>
          z
            .object(
              {
                requests: z
                  .object({
                    cpu: z
                      .string({ description: "Defaults to '100m'." })
                      .optional(),
                    memory: z
                      .string({ description: "Defaults to '128Mi'." })
                      .optional(),
                  })
                  .optional(),
                limits: z
                  .object({
                    cpu: z
                      .string({ description: "Defaults to '500m'." })
                      .optional(),
                    memory: z
                      .string({ description: "Defaults to '256Mi'." })
                      .optional(),
                  })
                  .optional(),
              },
              {
                description:
                  'CPU and memory requests and limits as Kubernetes quantities (500m, 1, 256Mi, 1Gi); a request may not exceed its limit.',
              },
            )
            .optional(),
        env: z =>
          z
            .record(z.string(), {
              description:
                'Plain environment variables for the container, e.g. { NATS_URL: nats://nats.nats:4222 }. Secrets go in `secrets`, OTEL_* come from the policy.',
            })
            .optional(),
        allowEgressTo: z =>
          z
            .array(
              z.object({
                namespace: z.string({
                  description: 'Namespace of the destination, e.g. nats',
                }),
                port: z.number({ description: 'TCP port, e.g. 4222' }).int(),
              }),
              {
                description:
                  'In-cluster destinations the app may connect to, on top of DNS and the OpenTelemetry collector (the namespace denies all other egress).',
              },
            )
            .optional(),
        hpa: z =>
          z
            .object(
              {
                min: z
                  .number({ description: 'Fewest replicas, at least 1.' })
                  .int()
                  .optional(),
                max: z
                  .number({ description: 'Most replicas, at least min.' })
                  .int()
                  .optional(),
              },
              {
                description:
                  "Autoscaling bounds of this component in every environment, overriding the policy's per-environment bounds (goldenPath.deploy.autoscaling.environments, then goldenPath.deploy.hpa). Peak windows still apply.",
              },
            )
            .optional(),
        natsJetStream: z =>
          z
            .object(
              {
                monitoringEndpoint: z.string({
                  description:
                    'host:port of the NATS monitoring endpoint, e.g. nats.nats.svc.cluster.local:8222',
                }),
                account: z
                  .string({
                    description:
                      "NATS account of the stream. Defaults to '$G', the account of a NATS server without accounts.",
                  })
                  .optional(),
                stream: z.string({ description: 'JetStream stream name' }),
                consumer: z.string({
                  description: 'Durable consumer the replicas share',
                }),
                lagThreshold: z
                  .number({
                    description:
                      'Pending messages per replica to aim for. Defaults to 10.',
                  })
                  .int()
                  .optional(),
              },
              {
                description:
                  "For a worker fed by a NATS JetStream consumer: KEDA also scales on the consumer's backlog (with the keda engine).",
              },
            )
            .optional(),
        secrets: z =>
          z
            .array(z.string(), {
              description:
                'Declared secret names in UPPER_SNAKE case, e.g. DB_PASSWORD. Each is read from the secret store by an ExternalSecret and shows up as a file of that name under SECRETS_DIR.',
            })
            .optional(),
        gitUrl: z =>
          z
            .string({
              description:
                "Clone URL Flux fetches the repository from (http, https or ssh), e.g. the publish step's remoteUrl. Defaults to the placeholder https://git.example.com/<name>.git, which must be set by hand (the task log says so).",
            })
            .optional(),
        gitPrivate: z =>
          z
            .boolean({
              description:
                'The repository is private: the GitRepository gets secretRef <name>-git (Flux needs it to clone, and image automation to push).',
            })
            .optional(),
      },
      output: {
        files: z =>
          z.array(z.string(), {
            description: 'Paths written, relative to the workspace',
          }),
        environments: z =>
          z.array(z.string(), {
            description:
              'Environments an overlay was written for, in promotion order',
          }),
      },
    },
    async handler(ctx) {
      const resolved = resolveInput(ctx.input, policy);
      const { spec, environments, gitUrl } = resolved;
      // Dry runs write the same files: the workspace is the dry run's output, and nothing leaves it.
      ctx.logger.info(
        `${ctx.isDryRun ? 'Dry run: writing' : 'Writing'} deploy manifests of ${
          spec.name
        } (${spec.workload}) for ${environments.join(', ')}`,
      );
      const files = await writeDeployManifests(ctx.workspacePath, {
        ...resolved,
        policy,
        gitPrivate: ctx.input.gitPrivate ?? false,
      });
      ctx.logger.info(`Wrote ${files.length} files under deploy/`);
      const notice = gitUrlNotice(spec.name, gitUrl);
      if (notice) {
        ctx.logger.warn(notice);
      }
      ctx.output('files', files);
      ctx.output('environments', environments);
    },
  });
}

interface DeployInput {
  name: string;
  workload?: WorkloadKind;
  port?: number;
  image?: string;
  healthPaths?: { liveness?: string; readiness?: string };
  resources?: {
    requests?: Partial<ResourceQuantities>;
    limits?: Partial<ResourceQuantities>;
  };
  hpa?: { min?: number; max?: number };
  natsJetStream?: Omit<NatsJetStreamLag, 'account' | 'lagThreshold'> &
    Partial<Pick<NatsJetStreamLag, 'account' | 'lagThreshold'>>;
  secrets?: string[];
  gitUrl?: string;
  gitPrivate?: boolean;
  env?: Record<string, string>;
  allowEgressTo?: Array<{ namespace: string; port: number }>;
}

// Set by the Deployment itself or by the generated ConfigMap; an env input must not shadow them.
const RESERVED_ENV =
  /^(PORT|SECRETS_DIR|SHUTDOWN_DELAY|SERVICE_VERSION|K8S_.*|OTEL_.*)$/;

function checkEnv(env: Record<string, string>): Record<string, string> {
  for (const [key, value] of Object.entries(env)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) || RESERVED_ENV.test(key)) {
      throw invalidInput(
        `env.${key}`,
        value,
        'must be named like an environment variable and not be PORT, SECRETS_DIR, SHUTDOWN_DELAY, SERVICE_VERSION, K8S_* or OTEL_* (set by the golden path)',
      );
    }
    if (typeof value !== 'string' || /[\r\n]/.test(value)) {
      throw invalidInput(`env.${key}`, value, 'must be a single-line string');
    }
  }
  return env;
}

function checkEgress(targets: Array<{ namespace: string; port: number }>) {
  targets.forEach((target, index) => {
    if (
      !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(target.namespace) ||
      target.namespace.length > 63
    ) {
      throw invalidInput(
        `allowEgressTo[${index}].namespace`,
        target.namespace,
        'must be a Kubernetes namespace name',
      );
    }
    if (
      !Number.isInteger(target.port) ||
      target.port < 1 ||
      target.port > 65535
    ) {
      throw invalidInput(
        `allowEgressTo[${index}].port`,
        target.port,
        'must be a port from 1 to 65535',
      );
    }
  });
  return targets;
}

/** Applies defaults and checks every rule the manifests depend on; throws an InputError naming the field. */
function resolveInput(
  input: DeployInput,
  policy: GoldenPathPolicy,
): {
  spec: WorkloadSpec;
  environments: string[];
  gitUrl: string;
  repository: string;
  autoscaling: Record<string, AutoscalingSpec>;
} {
  const name = checkComponentName(input.name);
  const workload = input.workload ?? 'service';
  if (!WORKLOAD_KINDS.includes(workload)) {
    throw invalidInput(
      'workload',
      workload,
      `must be one of ${WORKLOAD_KINDS.join(', ')}`,
    );
  }
  const port = input.port ?? DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 1024 || port > 65535) {
    throw invalidInput(
      'port',
      port,
      'must be a whole number from 1024 to 65535: the container runs as non-root with no capabilities, so it cannot bind lower ports',
    );
  }
  const repository = resolveRepository(input.image, name, policy);
  const healthPaths = { ...DEFAULT_HEALTH_PATHS, ...input.healthPaths };
  for (const [probe, path] of Object.entries(healthPaths)) {
    if (!/^\/\S*$/.test(path)) {
      throw invalidInput(
        `healthPaths.${probe}`,
        path,
        'must be a path starting with "/" and without spaces',
      );
    }
  }
  // Every action follows the policy's environments, so overlays written by different actions always line up.
  const environments = [...policy.deploy.environments];
  const autoscaling = resolveAutoscaling(input, name, workload, policy);
  // An empty URL (what a template renders for 'no URL') means the same as none.
  const gitUrl = input.gitUrl || placeholderGitUrl(name);
  if (!GIT_URL_PATTERN.test(gitUrl)) {
    throw invalidInput(
      'gitUrl',
      gitUrl,
      'must be an http://, https:// or ssh:// URL, which is what Flux can clone',
    );
  }
  return {
    spec: {
      name,
      workload,
      port,
      image: repository,
      healthPaths,
      resources: resolveResources(input.resources),
      ...(policy.deploy.imagePullSecret
        ? { imagePullSecret: policy.deploy.imagePullSecret }
        : {}),
      secrets: checkSecretNames(input.secrets ?? []),
      otlpEndpoint: policy.tracing.otlpEndpoint,
      env: checkEnv(input.env ?? {}),
      egress: checkEgress(input.allowEgressTo ?? []),
    },
    environments,
    gitUrl,
    repository,
    autoscaling,
  };
}

function resolveRepository(
  image: string | undefined,
  name: string,
  policy: GoldenPathPolicy,
): string {
  if (image === undefined) {
    if (!policy.deploy.registry) {
      throw invalidInput(
        'image',
        image,
        'is required while goldenPath.deploy.registry is not set in app-config: set the registry CI pushes to (e.g. ghcr.io/acme), or pass the image repository',
      );
    }
    return imageRepository(policy.deploy.registry, name);
  }
  if (!IMAGE_REPOSITORY.test(image) || image.length > 255) {
    throw invalidInput(
      'image',
      image,
      'must be an image repository without tag or digest, such as ghcr.io/acme/payments-api (lowercase, no spaces or scheme); Flux and promotion set the tag per environment',
    );
  }
  return image;
}

/** Each environment's autoscaler: the policy's bounds (or the component's `hpa`) and the peak windows that apply. */
function resolveAutoscaling(
  input: DeployInput,
  name: string,
  workload: WorkloadKind,
  policy: GoldenPathPolicy,
): Record<string, AutoscalingSpec> {
  for (const bound of ['min', 'max'] as const) {
    const value = input.hpa?.[bound];
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw invalidInput(
        `hpa.${bound}`,
        value,
        'must be a whole number, 1 or more',
      );
    }
  }
  const natsJetStreamLag = resolveNatsJetStream(input.natsJetStream);
  const { autoscaling } = policy.deploy;
  const result: Record<string, AutoscalingSpec> = {};
  for (const environment of policy.deploy.environments) {
    const fromPolicy =
      autoscaling.environments[environment] ?? policy.deploy.hpa;
    const bounds = {
      min: input.hpa?.min ?? fromPolicy.min,
      max: input.hpa?.max ?? fromPolicy.max,
    };
    if (bounds.min > bounds.max) {
      const source =
        input.hpa?.max === undefined
          ? ` from goldenPath.deploy.autoscaling.environments.${environment}.max`
          : '';
      throw invalidInput(
        'hpa.min',
        bounds.min,
        `must not exceed hpa.max (${bounds.max}${source})`,
      );
    }
    result[environment] = {
      name,
      workload,
      environment,
      engine: autoscaling.engine,
      bounds,
      peakWindows: autoscaling.peakWindows.filter(window =>
        window.environments.includes(environment),
      ),
      ...(natsJetStreamLag && autoscaling.engine === 'keda'
        ? { natsJetStreamLag }
        : {}),
    };
  }
  return result;
}

// NATS names: no whitespace, '.', '*', '>', path separators or control characters (as the node-worker checks).
// eslint-disable-next-line no-control-regex -- control characters are exactly what NATS names must not contain
const NATS_NAME = /^[^\s.*>/\\\x00-\x1f]+$/;

function resolveNatsJetStream(
  input: DeployInput['natsJetStream'],
): NatsJetStreamLag | undefined {
  if (!input) {
    return undefined;
  }
  const lag = {
    monitoringEndpoint: input.monitoringEndpoint,
    account: input.account ?? '$G',
    stream: input.stream,
    consumer: input.consumer,
    lagThreshold: input.lagThreshold ?? 10,
  };
  if (
    !/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?:[0-9]{1,5}$/.test(lag.monitoringEndpoint)
  ) {
    throw invalidInput(
      'natsJetStream.monitoringEndpoint',
      lag.monitoringEndpoint,
      'must be host:port of the NATS monitoring endpoint, e.g. nats.nats.svc.cluster.local:8222 (no scheme or path)',
    );
  }
  for (const key of ['account', 'stream', 'consumer'] as const) {
    if (!NATS_NAME.test(lag[key]) || lag[key].length > 255) {
      throw invalidInput(
        `natsJetStream.${key}`,
        lag[key],
        "must be a NATS name: no whitespace, '.', '*', '>', slashes or control characters",
      );
    }
  }
  if (!Number.isInteger(lag.lagThreshold) || lag.lagThreshold < 1) {
    throw invalidInput(
      'natsJetStream.lagThreshold',
      lag.lagThreshold,
      'must be a whole number, 1 or more',
    );
  }
  return lag;
}

function resolveResources(
  input: DeployInput['resources'],
): WorkloadSpec['resources'] {
  const resources = {
    requests: { ...DEFAULT_RESOURCES.requests, ...input?.requests },
    limits: { ...DEFAULT_RESOURCES.limits, ...input?.limits },
  };
  const quantity = (
    kind: 'requests' | 'limits',
    resource: 'cpu' | 'memory',
  ): number => {
    const value = parseQuantity(resources[kind][resource]);
    if (value === undefined) {
      throw invalidInput(
        `resources.${kind}.${resource}`,
        resources[kind][resource],
        `must be a Kubernetes quantity such as ${
          resource === 'cpu' ? '250m or 1' : '256Mi or 1Gi'
        }`,
      );
    }
    return value;
  };
  for (const resource of ['cpu', 'memory'] as const) {
    const request = quantity('requests', resource);
    if (request > quantity('limits', resource)) {
      throw invalidInput(
        `resources.requests.${resource}`,
        resources.requests[resource],
        `must not exceed resources.limits.${resource} (${resources.limits[resource]}); Kubernetes rejects such a pod`,
      );
    }
  }
  return resources;
}
