// A local Kubernetes control plane for the portal (scripts/local-cluster): starts etcd, kube-apiserver, the
// controllers and kwok nodes on loopback, gives Backstage's Kubernetes plugin a read-only service account, writes
// the config that points the portal at it, and optionally applies a generated repository's overlay. Ctrl-C stops
// everything it started.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import YAML from 'yaml';
import { repoRoot } from '../../test-utils/src/backendProcess.ts';
import { startControlPlane } from '../lib/controlPlane.ts';
import {
  backstageReaderToken,
  createRestrictedNamespace,
  fluxObjects,
  installCrdsFor,
  kubernetesPluginConfig,
  serverSideApply,
} from '../lib/kubeApply.ts';
import { kustomizeBuild } from '../../template-test/src/checks/manifests.ts';

const { values } = parseArgs({
  options: {
    environment: { type: 'string', default: 'dev' },
    apply: { type: 'string', multiple: true, default: [] },
    config: {
      type: 'string',
      default: join(repoRoot, 'data/app-config.local-cluster.yaml'),
    },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  process.stdout
    .write(`Usage: scripts/local-cluster [--environment dev] [--apply <generated repo>]... [--config <file>]

Starts a local control plane that plays one environment (default: dev) and writes a config file that points the
portal's Kubernetes plugin at it. With --apply, builds deploy/overlays/<environment> of each generated repository
(e.g. a clone of data/repos/<name>) and applies it the way Flux would. Then run, in another shell:
  ./scripts/start --config app-config.yaml --config ${values.config}
`);
  process.exit(0);
}

async function main() {
  const environment = values.environment!;
  const cluster = await startControlPlane({ workloads: true, nodes: 2 });
  const stop = async () => {
    await cluster.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const token = backstageReaderToken(cluster);
  mkdirSync(join(repoRoot, 'data'), { recursive: true });
  writeFileSync(
    values.config!,
    `# Written by scripts/local-cluster: the local control plane plays "${environment}". Regenerated at every start.\n${YAML.stringify(
      {
        kubernetes: kubernetesPluginConfig([
          { name: environment, cluster, token },
        ]),
      },
    )}`,
    { mode: 0o600 },
  );

  for (const repoDir of values.apply!) {
    const objects = kustomizeBuild(
      join(repoDir, 'deploy/overlays', environment),
    );
    const flux = fluxObjects(repoDir, environment);
    installCrdsFor(cluster, [...objects, ...flux]);
    const namespace = flux.find(o => o.kind === 'Kustomization')!.spec
      .targetNamespace;
    createRestrictedNamespace(cluster, namespace);
    for (const warning of serverSideApply(cluster, objects, namespace)) {
      process.stderr.write(`${warning}\n`);
    }
    process.stdout.write(
      `applied ${repoDir} (${environment}) into ${namespace}\n`,
    );
  }

  process.stdout
    .write(`Control plane ready (${cluster.server}); kubeconfig: ${cluster.kubeconfig}
  Portal config: ${values.config}
  Start the portal in another shell:
    ./scripts/start --config app-config.yaml --config ${values.config}
  Ctrl-C stops the control plane.
  `);
  // Stay up until Ctrl-C; every process is stopped by PID in stop().
  setInterval(() => {}, 1 << 30);
}

main().catch(error => {
  process.stderr.write(`${error}\n`);
  process.exit(1);
});
