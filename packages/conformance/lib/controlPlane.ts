// A real Kubernetes control plane for tests, on loopback in a temp dir: etcd + kube-apiserver (PodSecurity
// admission on), and on request the controller manager, the scheduler and kwok with fake nodes, so Deployments
// really roll out and become Available. The binaries come from scripts/lib/kube-tools.sh (built once into
// .tools/kube/<version>/bin). Every process is started here and stopped here, by PID.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import {
  eventually,
  freePort,
  repoRoot,
} from '../../test-utils/src/backendProcess.ts';

export type ControlPlane = {
  /** The API server's URL (https, self-signed certificate). */
  server: string;
  /** Path of a kubeconfig for the cluster admin (token auth, the API server's self-signed certificate). */
  kubeconfig: string;
  /** Runs kubectl against this cluster; throws with its output on a non-zero exit. */
  kubectl(args: string[], input?: string): KubectlResult;
  stop(): Promise<void>;
};

export type KubectlResult = { stdout: string; stderr: string };

type Started = { name: string; child: ChildProcess; output: () => string };

/** Where scripts/lib/kube-tools.sh put the binaries (KUBE_TOOLS_DIR from scripts/test, else the only version built). */
export function kubeToolsDir(): string {
  if (process.env.KUBE_TOOLS_DIR) return process.env.KUBE_TOOLS_DIR;
  const root = join(repoRoot, '.tools/kube');
  const versions = existsSync(root)
    ? readdirSync(root).filter(v => v.startsWith('v'))
    : [];
  if (versions.length !== 1) {
    throw new Error(
      `no Kubernetes binaries in ${root}: ./scripts/test builds them (scripts/lib/kube-tools.sh)`,
    );
  }
  return join(root, versions[0], 'bin');
}

function start(
  name: string,
  bin: string,
  args: string[],
  dir: string,
): Started {
  const child = spawn(join(bin, name), args, {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Keep only the tail: the API server logs a lot, and only the last lines explain a failure.
  let output = '';
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-64 * 1024);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { name, child, output: () => output };
}

async function stopAll(started: Started[]): Promise<void> {
  for (const { child } of [...started].reverse()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise(done => child.once('exit', done));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

export async function startControlPlane(
  options: { workloads?: boolean; nodes?: number } = {},
): Promise<ControlPlane> {
  const bin = kubeToolsDir();
  const dir = mkdtempSync(join(tmpdir(), 'gp-kube-'));
  const started: Started[] = [];
  // If the test process dies without calling stop() (a crash, an uncaught error), its servers must not outlive it.
  const killOnExit = () =>
    started.forEach(({ child }) => child.kill('SIGKILL'));
  process.once('exit', killOnExit);
  const failIfExited = () => {
    for (const s of started) {
      if (s.child.exitCode !== null) {
        throw new Error(
          `${s.name} exited with ${s.child.exitCode}:\n${s
            .output()
            .slice(-4000)}`,
        );
      }
    }
  };

  try {
    const [etcdClient, etcdPeer, apiPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const etcdUrl = `http://127.0.0.1:${etcdClient}`;
    started.push(
      start(
        'etcd',
        bin,
        [
          '--data-dir',
          join(dir, 'etcd'),
          '--listen-client-urls',
          etcdUrl,
          '--advertise-client-urls',
          etcdUrl,
          '--listen-peer-urls',
          `http://127.0.0.1:${etcdPeer}`,
          '--initial-advertise-peer-urls',
          `http://127.0.0.1:${etcdPeer}`,
          '--initial-cluster',
          `default=http://127.0.0.1:${etcdPeer}`,
          '--log-level',
          'warn',
        ],
        dir,
      ),
    );
    await eventually('etcd health', async () => {
      failIfExited();
      const res = await fetch(`${etcdUrl}/health`).catch(() => undefined);
      return res?.ok ? true : undefined;
    });

    // Service-account signing keys and a static admin token: all the API server needs, no PKI setup.
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    writeFileSync(join(dir, 'sa.key'), privateKey, { mode: 0o600 });
    writeFileSync(join(dir, 'sa.pub'), publicKey);
    const token = `admin-${Date.now().toString(36)}`;
    writeFileSync(
      join(dir, 'tokens.csv'),
      `${token},admin,admin,"system:masters"\n`,
      { mode: 0o600 },
    );
    started.push(
      start(
        'kube-apiserver',
        bin,
        [
          `--etcd-servers=${etcdUrl}`,
          '--bind-address=127.0.0.1',
          `--secure-port=${apiPort}`,
          `--cert-dir=${join(dir, 'certs')}`,
          '--service-account-issuer=https://kubernetes.default.svc',
          `--service-account-key-file=${join(dir, 'sa.pub')}`,
          `--service-account-signing-key-file=${join(dir, 'sa.key')}`,
          `--token-auth-file=${join(dir, 'tokens.csv')}`,
          '--authorization-mode=RBAC',
          '--service-cluster-ip-range=10.96.0.0/16',
          '--enable-admission-plugins=PodSecurity',
          '--enable-priority-and-fairness=false',
          '--v=0',
        ],
        dir,
      ),
    );

    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      YAML.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: 'test',
            cluster: {
              server: `https://127.0.0.1:${apiPort}`,
              'insecure-skip-tls-verify': true,
            },
          },
        ],
        users: [{ name: 'admin', user: { token } }],
        contexts: [
          { name: 'test', context: { cluster: 'test', user: 'admin' } },
        ],
        'current-context': 'test',
      }),
      { mode: 0o600 },
    );
    const kubectl = (args: string[], input?: string): KubectlResult => {
      const result = spawnSync(
        join(bin, 'kubectl'),
        [`--kubeconfig=${kubeconfig}`, ...args],
        { encoding: 'utf8', input, maxBuffer: 64 * 1024 * 1024 },
      );
      if (result.status !== 0) {
        throw new Error(
          `kubectl ${args.join(' ')} failed (${
            result.status ?? result.signal
          }):\n${result.stdout}\n${result.stderr}`,
        );
      }
      return { stdout: result.stdout, stderr: result.stderr };
    };
    await eventually(
      'kube-apiserver /readyz',
      async () => {
        failIfExited();
        try {
          return kubectl(['get', '--raw', '/readyz']).stdout.trim() === 'ok'
            ? true
            : undefined;
        } catch {
          return undefined;
        }
      },
      90_000,
    );

    if (options.workloads) {
      await startWorkloadComponents({
        bin,
        dir,
        kubeconfig,
        kubectl,
        started,
        nodes: options.nodes ?? 1,
        failIfExited,
      });
    }

    return {
      server: `https://127.0.0.1:${apiPort}`,
      kubeconfig,
      kubectl,
      stop: async () => {
        process.off('exit', killOnExit);
        await stopAll(started);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    process.off('exit', killOnExit);
    await stopAll(started);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Controller manager, scheduler and kwok with `nodes` fake nodes (4 CPUs, 16 GiB, 110 pods each). */
async function startWorkloadComponents(options: {
  bin: string;
  dir: string;
  kubeconfig: string;
  kubectl: (args: string[], input?: string) => KubectlResult;
  started: Started[];
  nodes: number;
  failIfExited: () => void;
}): Promise<void> {
  const { bin, dir, kubeconfig, kubectl, started } = options;
  started.push(
    start(
      'kube-controller-manager',
      bin,
      [
        `--kubeconfig=${kubeconfig}`,
        `--service-account-private-key-file=${join(dir, 'sa.key')}`,
        '--controllers=*',
        '--bind-address=127.0.0.1',
        `--secure-port=${await freePort()}`,
        '--leader-elect=false',
        '--use-service-account-credentials=false',
      ],
      dir,
    ),
    start(
      'kube-scheduler',
      bin,
      [
        `--kubeconfig=${kubeconfig}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${await freePort()}`,
        '--leader-elect=false',
      ],
      dir,
    ),
    start(
      'kwok',
      bin,
      [
        `--kubeconfig=${kubeconfig}`,
        `--config=${join(bin, 'kwok-stages.yaml')}`,
        '--manage-all-nodes=false',
        '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
        '--node-ip=10.0.0.1',
        // The heartbeat-with-lease stage updates node status every ~10 min and relies on kwok renewing each node's
        // Lease; without it the node controller marks the nodes (and their pods) not ready after its grace period.
        '--node-lease-duration-seconds=40',
        `--server-address=127.0.0.1:${await freePort()}`,
      ],
      dir,
    ),
  );
  const nodes = Array.from({ length: options.nodes }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: `kwok-node-${i}`,
      annotations: { 'kwok.x-k8s.io/node': 'fake' },
      labels: {
        'kubernetes.io/hostname': `kwok-node-${i}`,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'topology.kubernetes.io/zone': `zone-${i % 3}`,
        type: 'kwok',
      },
    },
    status: {
      allocatable: { cpu: '4', memory: '16Gi', pods: '110' },
      capacity: { cpu: '4', memory: '16Gi', pods: '110' },
    },
  }));
  kubectl(
    ['apply', '-f', '-'],
    nodes.map(n => YAML.stringify(n)).join('---\n'),
  );
  await eventually(
    'fake nodes Ready',
    async () => {
      options.failIfExited();
      const out = kubectl([
        'get',
        'nodes',
        '-o',
        'jsonpath={range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}',
      ]).stdout;
      const ready = out.split('\n').filter(s => s === 'True').length;
      return ready === options.nodes ? true : undefined;
    },
    60_000,
  );
}
