import { ConfigReader } from '@backstage/config';
import {
  DEFAULT_GOLDEN_PATH_POLICY,
  readGoldenPathPolicy,
} from '@golden-path/common';
import yaml from 'yaml';
import {
  COMPONENT_CATALOG_INFO,
  createWorkspaceFixture,
} from '../__testUtils__/actionFixture';
import { createSecretsAction } from './secrets';
import { examples } from './secrets.examples';

describe('golden-path:secrets', () => {
  const ws = createWorkspaceFixture();
  const action = createSecretsAction({ policy: DEFAULT_GOLDEN_PATH_POLICY });

  beforeEach(() =>
    ws.reset({
      'catalog-info.yaml': COMPONENT_CATALOG_INFO,
      '.gitignore': 'bin/\n',
    }),
  );

  it('declares each secret per environment and mounts it from the configured store', async () => {
    const ctx = ws.context({
      name: 'payments-api',
      secrets: ['DB_PASSWORD', 'STRIPE_API_KEY'],
    });
    await action.handler(ctx);

    for (const env of ['dev', 'staging', 'prod']) {
      const externalSecret = ws.yaml(
        `deploy/overlays/${env}/external-secret.yaml`,
      );
      expect(externalSecret.apiVersion).toBe('external-secrets.io/v1');
      expect(externalSecret.spec.secretStoreRef).toEqual({
        kind: 'ClusterSecretStore',
        name: 'platform-secrets',
      });
      expect(externalSecret.spec.target.name).toBe('payments-api-secrets');
      expect(externalSecret.spec.data).toEqual([
        {
          secretKey: 'DB_PASSWORD',
          remoteRef: { key: `${env}/payments-api/DB_PASSWORD` },
        },
        {
          secretKey: 'STRIPE_API_KEY',
          remoteRef: { key: `${env}/payments-api/STRIPE_API_KEY` },
        },
      ]);
    }
    expect(ctx.output).toHaveBeenCalledWith(
      'paths',
      expect.arrayContaining(['prod/payments-api/STRIPE_API_KEY']),
    );
  });

  it('keeps real values out of git: placeholders, ignore rules and a gitleaks config', async () => {
    await action.handler(
      ws.context({ name: 'payments-api', secrets: ['DB_PASSWORD'] }),
    );
    expect(ws.read('.secrets.example/DB_PASSWORD')).toContain('placeholder');
    expect(ws.read('.gitignore')).toBe(
      'bin/\n# Secret values never go to git (golden-path:secrets)\n.secrets/\n.env\n.env.*\n*.pem\n*.key\n',
    );
    expect(ws.read('.gitleaks.toml')).toContain('useDefault = true');
  });

  it('records where the secrets live in the catalog', async () => {
    await action.handler(
      ws.context({
        name: 'payments-api',
        secrets: ['DB_PASSWORD', 'API_TOKEN'],
      }),
    );
    expect(ws.yaml('catalog-info.yaml').metadata.annotations).toEqual({
      'golden-path.io/secrets': 'DB_PASSWORD,API_TOKEN',
      'golden-path.io/secret-store': 'ClusterSecretStore/platform-secrets',
      'golden-path.io/secrets-path-pattern': '{environment}/{component}/{key}',
    });
  });

  it('points the Vault plugin at the component and reads Vault values from their property', async () => {
    const policy = readGoldenPathPolicy(
      new ConfigReader({
        goldenPath: {
          secrets: {
            provider: 'vault',
            pathPattern: 'apps/{component}/{environment}/{key}',
          },
        },
      }),
    );
    await createSecretsAction({ policy }).handler(
      ws.context({ name: 'payments-api', secrets: ['DB_PASSWORD'] }),
    );
    expect(
      ws.yaml('catalog-info.yaml').metadata.annotations[
        'vault.io/secrets-path'
      ],
    ).toBe('apps/payments-api/dev');
    expect(
      ws.yaml('deploy/overlays/prod/external-secret.yaml').spec.data[0]
        .remoteRef,
    ).toEqual({
      key: 'apps/payments-api/prod/DB_PASSWORD',
      property: 'value',
    });
  });

  it('changes nothing when run twice', async () => {
    await action.handler(
      ws.context({ name: 'payments-api', secrets: ['DB_PASSWORD'] }),
    );
    const first = ws.snapshot();
    await action.handler(
      ws.context({ name: 'payments-api', secrets: ['DB_PASSWORD'] }),
    );
    expect(ws.snapshot()).toEqual(first);
  });

  it.each([
    [
      ['db-password'],
      'Invalid secrets[0] "db-password": it must use uppercase letters, digits and underscores',
    ],
    [
      ['OK', '../ETC'],
      'Invalid secrets[1] "../ETC": it must use uppercase letters',
    ],
    [['A', 'A'], 'Invalid secrets[1] "A": it is declared twice'],
  ])('rejects %j and writes nothing', async (secrets, message) => {
    const before = ws.snapshot();
    await expect(
      action.handler(ws.context({ name: 'payments-api', secrets })),
    ).rejects.toThrow(message);
    expect(ws.snapshot()).toEqual(before);
  });

  it.each([
    [
      'a line break',
      'line-one\nline-two',
      'it must be a single line: it contains a line break',
    ],
    [
      '1 MB',
      'x'.repeat(1024 * 1024),
      'it is 1048576 bytes long; the limit is 65536',
    ],
  ])(
    'refuses an initial value with %s before anything is written, naming the secret but not the value',
    async (_, value, problem) => {
      const before = ws.snapshot();
      const error = await action
        .handler(
          ws.context(
            { name: 'payments-api', secrets: ['DB_PASSWORD'] },
            { secrets: { 'DB_PASSWORD@prod': value } },
          ),
        )
        .catch(e => e);
      expect(error.message).toBe(
        `Invalid value of secret DB_PASSWORD for prod (task secret DB_PASSWORD@prod): ${problem}. Nothing was stored.`,
      );
      expect(ws.snapshot()).toEqual(before);
    },
  );

  it.each(examples.map(e => [e.description, e] as const))(
    'example: %s',
    async (_, example) => {
      await action.handler(
        ws.context(yaml.parse(example.example).steps[0].input),
      );
      expect(ws.exists('deploy/overlays/dev/external-secret.yaml')).toBe(true);
    },
  );
});
