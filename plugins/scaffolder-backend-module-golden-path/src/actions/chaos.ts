import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { GoldenPathPolicy } from '@golden-path/common';
import fs from 'fs-extra';
import YAML from 'yaml';
import { checkComponentName, invalidInput } from '../inputChecks';
import {
  buildChaosSchedules,
  CHAOS_FILE,
  CHAOS_PAUSE_ANNOTATION,
  ChaosDependency,
} from '../manifests/chaos';
import { appNamespace } from '../manifests/writeDeployManifests';
import { readList, setList } from '../manifests/yamlDocument';
import { overlayDir, updateKustomization } from '../workspace/kustomization';
import {
  readWorkspaceFile,
  workspaceFile,
  writeWorkspaceFile,
  writeYamlDocuments,
} from '../workspace/workspaceFiles';
import { examples } from './chaos.examples';

export const CHAOS_RUNBOOK_FILE = 'docs/chaos-experiments.md';

// A host name as URLs carry it: DNS labels, e.g. nats.nats or otel-collector.observability.svc.
const HOST =
  /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * Opt-in chaos experiments for one service: Chaos Mesh Schedules in the policy's chaos environment (staging by
 * default) only, inside weekday business hours, selecting only the service's pods, plus a runbook. With `enabled`
 * false it removes them again, so unticking the box and re-running is how a team stops for good.
 *
 * @public
 */
export function createChaosAction(options: { policy: GoldenPathPolicy }) {
  const { policy } = options;
  return createTemplateAction({
    id: 'golden-path:chaos',
    description:
      "Adds Chaos Mesh experiments to the chaos environment's overlay (goldenPath.chaos.environment, staging by default) when enabled: an hourly pod kill and a network delay toward each dependency and the OpenTelemetry collector, on weekdays inside business hours, selecting only the service's pods; and a runbook in docs/. Removes them when not enabled.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z.string({
            description:
              'Component name: the namespace and the app.kubernetes.io/name label the experiments select.',
          }),
        enabled: z =>
          z
            .boolean({
              description:
                "The service opts in (the form's checkbox). Needs goldenPath.chaos.enabled. Defaults to false, which removes any experiments.",
            })
            .optional(),
        dependencies: z =>
          z
            .array(z.string(), {
              description:
                'URLs or host names the service calls, e.g. nats://nats.nats:4222: the network delay is toward each. The OpenTelemetry collector (goldenPath.tracing.otlpEndpoint) is always added.',
            })
            .optional(),
      },
      output: {
        files: z =>
          z.array(z.string(), {
            description: 'Paths written, relative to the workspace',
          }),
      },
    },
    async handler(ctx) {
      const name = checkComponentName(ctx.input.name);
      const enabled = ctx.input.enabled ?? false;
      const chaos = policy.chaos;
      checkChaosAllowed(enabled, policy);
      // Every overlay but the chosen one loses its experiments, so a policy change moves them.
      for (const environment of policy.deploy.environments) {
        if (!enabled || environment !== chaos.environment) {
          await removeChaos(ctx.workspacePath, environment);
        }
      }
      if (!enabled) {
        await fs.remove(workspaceFile(ctx.workspacePath, CHAOS_RUNBOOK_FILE));
        ctx.logger.info(`No chaos experiments for ${name}`);
        ctx.output('files', []);
        return;
      }
      const dependencies = resolveDependencies(
        ctx.input.dependencies ?? [],
        policy.tracing.otlpEndpoint,
      );
      const namespace = appNamespace(name);
      const overlay = overlayDir(chaos.environment);
      const schedules = buildChaosSchedules({
        name,
        namespace,
        dependencies,
        policy: chaos,
      });
      await writeYamlDocuments(
        ctx.workspacePath,
        `${overlay}/${CHAOS_FILE}`,
        schedules,
      );
      await updateKustomization(ctx.workspacePath, overlay, doc => {
        const resources = readList(doc, 'resources');
        if (!resources.includes(CHAOS_FILE)) {
          setList(doc, 'resources', [...resources, CHAOS_FILE]);
        }
      });
      await writeWorkspaceFile(
        ctx.workspacePath,
        CHAOS_RUNBOOK_FILE,
        runbook({
          name,
          namespace,
          environment: chaos.environment,
          schedules: schedules.map(s => s.metadata.name),
          dependencies,
          policy,
        }),
      );
      const files = [`${overlay}/${CHAOS_FILE}`, CHAOS_RUNBOOK_FILE];
      ctx.logger.info(
        `Chaos experiments for ${name} in ${chaos.environment}: ${schedules
          .map(s => s.metadata.name)
          .join(', ')}`,
      );
      ctx.output('files', files);
    },
  });
}

/** Throws when a service opts in on a platform that does not allow chaos experiments. */
export function checkChaosAllowed(enabled: boolean, policy: GoldenPathPolicy) {
  if (enabled && !policy.chaos.enabled) {
    throw new InputError(
      'Chaos experiments are not enabled on this platform (goldenPath.chaos.enabled is false): leave the chaos checkbox unticked, or ask the platform team to enable them',
    );
  }
}

/** The hosts of a deploy env's URL values (e.g. NATS_URL=nats://nats.nats:4222): the services a component calls. */
export function dependenciesFromEnv(env: unknown): string[] {
  if (typeof env !== 'object' || env === null) return [];
  return Object.values(env).filter(
    (value): value is string =>
      typeof value === 'string' &&
      /^[a-z][a-z0-9+.-]*:\/\/[^/\s]+/i.test(value) &&
      safeHostname(value) !== undefined,
  );
}

/** One dependency per distinct host, named after its first DNS label; the collector always, the inputs after it. */
function resolveDependencies(
  inputs: readonly string[],
  otlpEndpoint: string,
): ChaosDependency[] {
  const hosts = [
    new URL(otlpEndpoint).hostname,
    ...inputs.map((input, index) => {
      const host = /^[a-z][a-z0-9+.-]*:\/\//i.test(input)
        ? safeHostname(input)
        : input;
      if (!host || !HOST.test(host) || host.length > 253) {
        throw invalidInput(
          `dependencies[${index}]`,
          input,
          'must be a URL or host name of a service the component calls, e.g. nats://nats.nats:4222 or nats.nats',
        );
      }
      return host;
    }),
  ];
  const unique = [...new Set(hosts)];
  const names = new Map<string, number>();
  return unique.map(host => {
    const label = host.split('.')[0];
    const seen = names.get(label) ?? 0;
    names.set(label, seen + 1);
    return { name: seen === 0 ? label : `${label}-${seen + 1}`, host };
  });
}

function safeHostname(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

async function removeChaos(workspacePath: string, environment: string) {
  const overlay = overlayDir(environment);
  await fs.remove(workspaceFile(workspacePath, `${overlay}/${CHAOS_FILE}`));
  const text = await readWorkspaceFile(
    workspacePath,
    `${overlay}/kustomization.yaml`,
  );
  if (
    text &&
    readList(YAML.parseDocument(text), 'resources').includes(CHAOS_FILE)
  ) {
    await updateKustomization(workspacePath, overlay, doc =>
      setList(
        doc,
        'resources',
        readList(doc, 'resources').filter(entry => entry !== CHAOS_FILE),
      ),
    );
  }
}

function runbook(options: {
  name: string;
  namespace: string;
  environment: string;
  schedules: string[];
  dependencies: ChaosDependency[];
  policy: GoldenPathPolicy;
}): string {
  const { name, namespace, environment, schedules, dependencies, policy } =
    options;
  const { timezone, businessHours, networkDelay } = policy.chaos;
  const hours = `${businessHours.start}:00-${businessHours.end}:00 ${timezone}`;
  return `# Chaos experiments: ${name}

Written by golden-path:chaos. [Chaos Mesh](https://chaos-mesh.org) runs these experiments in **${environment} only**
(\`deploy/overlays/${environment}/${CHAOS_FILE}\`), on weekdays between ${hours}, so the failures that would
otherwise come at the worst time show up while the team is at work. Every experiment selects only this service's
pods: label \`app.kubernetes.io/name=${name}\` in namespace \`${namespace}\`.

| Schedule | When | What it does | What it shows |
|---|---|---|---|
| \`${name}-pod-kill\` | every hour on the hour | kills one pod | the other replicas carry the traffic, the PodDisruptionBudget holds, probes and graceful shutdown bring the pod back without dropped requests or lost jobs |
${dependencies
  .map(
    d =>
      `| \`${name}-delay-${d.name}\` | every hour at half past, for ${networkDelay.durationMinutes} minutes | adds ${networkDelay.latency} to this service's traffic toward \`${d.host}\` | timeouts, retries and backlogs behave when \`${d.host}\` is slow; latency metrics and traces show the delay |`,
  )
  .join('\n')}

While an experiment runs, watch the service's dashboards and traces (the catalog page links them). A finding is a
bug: file it, fix it, and keep the experiment running to prove the fix.

## Pause

Pausing stops new runs until you resume; a running delay ends after its duration.

\`\`\`sh
kubectl --namespace ${namespace} annotate schedule ${schedules.join(
    ' ',
  )} ${CHAOS_PAUSE_ANNOTATION}=true --overwrite
kubectl --namespace ${namespace} annotate schedule ${schedules.join(
    ' ',
  )} ${CHAOS_PAUSE_ANNOTATION}-   # resume
\`\`\`

Flux does not undo the annotation (it applies only the fields in git), so a pause lasts until you resume.

## Stop now

Delete the running experiments, then pause their schedules as above:

\`\`\`sh
kubectl --namespace ${namespace} delete podchaos,networkchaos --all
\`\`\`

## Stop for good

Remove \`${CHAOS_FILE}\` from \`deploy/overlays/${environment}/kustomization.yaml\` (and the file) and merge: Flux
prunes the schedules. Re-running the template with the chaos checkbox unticked does the same.
`;
}
