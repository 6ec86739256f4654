import { createMockDirectory } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import {
  DEFAULT_GOLDEN_PATH_POLICY,
  GoldenPathPolicy,
} from '@golden-path/common';
import fs from 'fs-extra';
import YAML from 'yaml';
import { buildExternalSecret, writeExternalSecrets } from './externalSecret';
import { schemaProblems } from './testing/schemaProblems';

const vaultPolicy: GoldenPathPolicy = {
  ...DEFAULT_GOLDEN_PATH_POLICY,
  secrets: {
    provider: 'vault',
    store: { kind: 'SecretStore', name: 'vault-backend' },
    pathPattern: 'apps/{component}/{environment}/{key}',
  },
};

describe('ExternalSecret', () => {
  const mockDir = createMockDirectory();
  const read = (path: string) => fs.readFile(mockDir.resolve(path), 'utf8');

  beforeEach(() => mockDir.clear());

  it('reads each declared secret from the policy store into <name>-secrets under its own name', () => {
    const externalSecret = buildExternalSecret({
      name: 'payments-api',
      environment: 'prod',
      secrets: ['DB_PASSWORD', 'STRIPE_API_KEY'],
      policy: DEFAULT_GOLDEN_PATH_POLICY,
    });
    expect(schemaProblems([externalSecret])).toEqual([]);
    expect(externalSecret).toEqual({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: {
        name: 'payments-api',
        labels: {
          'app.kubernetes.io/name': 'payments-api',
          'backstage.io/kubernetes-id': 'payments-api',
        },
      },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: {
          kind: 'ClusterSecretStore',
          name: 'platform-secrets',
        },
        target: { name: 'payments-api-secrets', creationPolicy: 'Owner' },
        data: [
          {
            secretKey: 'DB_PASSWORD',
            remoteRef: { key: 'prod/payments-api/DB_PASSWORD' },
          },
          {
            secretKey: 'STRIPE_API_KEY',
            remoteRef: { key: 'prod/payments-api/STRIPE_API_KEY' },
          },
        ],
      },
    });
  });

  it('follows the policy path pattern and reads the value property from Vault', () => {
    const externalSecret = buildExternalSecret({
      name: 'payments-api',
      environment: 'dev',
      secrets: ['DB_PASSWORD'],
      policy: vaultPolicy,
    }) as any;
    expect(schemaProblems([externalSecret])).toEqual([]);
    expect(externalSecret.spec.secretStoreRef).toEqual({
      kind: 'SecretStore',
      name: 'vault-backend',
    });
    expect(externalSecret.spec.data).toEqual([
      {
        secretKey: 'DB_PASSWORD',
        remoteRef: {
          key: 'apps/payments-api/dev/DB_PASSWORD',
          property: 'value',
        },
      },
    ]);
  });

  it('writes one file per environment and lists it in that overlay, once however often it runs', async () => {
    const options = {
      name: 'payments-api',
      secrets: ['DB_PASSWORD'],
      environments: ['dev', 'prod'],
      policy: DEFAULT_GOLDEN_PATH_POLICY,
    };
    const workspace = mockDir.resolve('workspace');
    expect(await writeExternalSecrets(workspace, options)).toEqual([
      'deploy/overlays/dev/external-secret.yaml',
      'deploy/overlays/prod/external-secret.yaml',
    ]);
    const first = await read(
      'workspace/deploy/overlays/prod/external-secret.yaml',
    );
    await writeExternalSecrets(workspace, options);

    expect(
      await read('workspace/deploy/overlays/prod/external-secret.yaml'),
    ).toBe(first);
    expect(YAML.parse(first).spec.data[0].remoteRef.key).toBe(
      'prod/payments-api/DB_PASSWORD',
    );
    expect(
      YAML.parse(
        await read('workspace/deploy/overlays/dev/kustomization.yaml'),
      ),
    ).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['external-secret.yaml'],
    });
    expect(
      await fs.pathExists(mockDir.resolve('workspace/deploy/overlays/staging')),
    ).toBe(false);
  });

  it('removes the file and its resources entry when no secrets are left', async () => {
    const workspace = mockDir.resolve('workspace');
    mockDir.setContent({
      'workspace/deploy/overlays/dev/kustomization.yaml': YAML.stringify({
        resources: ['../../base', 'external-secret.yaml'],
        labels: [{ pairs: { team: 'payments' } }],
      }),
      'workspace/deploy/overlays/dev/external-secret.yaml':
        'kind: ExternalSecret\n',
    });
    expect(
      await writeExternalSecrets(workspace, {
        name: 'payments-api',
        secrets: [],
        environments: ['dev', 'prod'],
        policy: DEFAULT_GOLDEN_PATH_POLICY,
      }),
    ).toEqual([]);
    expect(
      await fs.pathExists(
        mockDir.resolve('workspace/deploy/overlays/dev/external-secret.yaml'),
      ),
    ).toBe(false);
    expect(
      YAML.parse(
        await read('workspace/deploy/overlays/dev/kustomization.yaml'),
      ),
    ).toEqual({
      resources: ['../../base'],
      labels: [{ pairs: { team: 'payments' } }],
    });
    expect(
      await fs.pathExists(mockDir.resolve('workspace/deploy/overlays/prod')),
    ).toBe(false);
  });

  it.each([
    [
      { secrets: ['db-password'] },
      'Invalid secrets[0] "db-password": it must use uppercase letters',
    ],
    [
      { secrets: ['DB_PASSWORD', 'DB_PASSWORD'] },
      'Invalid secrets[1] "DB_PASSWORD": it is declared twice',
    ],
    [
      { environments: ['dev', 'qa'] },
      'Invalid environments[1] "qa": it is not one of the policy\'s environments (dev, staging, prod)',
    ],
    [{ name: 'Payments' }, 'Invalid name "Payments": it must be lowercase'],
  ])('rejects %j and writes nothing', async (override, message) => {
    await expect(
      writeExternalSecrets(mockDir.resolve('workspace'), {
        name: 'payments-api',
        secrets: ['DB_PASSWORD'],
        environments: ['dev'],
        policy: DEFAULT_GOLDEN_PATH_POLICY,
        ...override,
      }),
    ).rejects.toThrow(
      expect.objectContaining({
        name: InputError.name,
        message: expect.stringContaining(message),
      }),
    );
    expect(await fs.pathExists(mockDir.resolve('workspace'))).toBe(false);
  });
});
