import {
  createMockDirectory,
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { readGoldenPathPolicy } from '@golden-path/common';
import fs from 'fs-extra';
import { setupServer } from 'msw/node';
import { join } from 'node:path';
import {
  fakeAwsSecretsManager,
  registerDummyAwsCredentials,
} from '../secretStores/__testUtils__/fakeAwsSecretsManager';
import { fakeVault } from '../secretStores/__testUtils__/fakeVault';
import { createSecretsSeedAction } from './secretsSeed';

const DB_PASSWORD = 'pg-Pa55word-never-logged';
const STRIPE_KEY = 'sk_test_never-logged-51HxYz';
const CATALOG_INFO_URL = 'file:///data/repos/payments-api/catalog-info.yaml';

describe('golden-path:secrets:seed', () => {
  const mockDir = createMockDirectory();
  const server = setupServer();
  registerMswTestHooks(server);
  registerDummyAwsCredentials();

  const secretsDir = () => mockDir.resolve('secrets');
  const workspacePath = () => mockDir.resolve('workspace');

  function createAction(secrets: Record<string, unknown> = {}) {
    const config = new ConfigReader({
      goldenPath: {
        secrets: { local: { directory: secretsDir() }, ...secrets },
      },
    });
    return createSecretsSeedAction({
      policy: readGoldenPathPolicy(config),
      config,
    });
  }

  /** A context whose logger, outputs and checkpoints can all be searched for leaked values. */
  function context(
    input: Record<string, unknown>,
    options: {
      secrets?: Record<string, string>;
      isDryRun?: boolean;
      taskId?: string;
      checkpoints?: Map<string, unknown>;
    } = {},
  ) {
    const logger = mockServices.logger.mock();
    const checkpoints = options.checkpoints ?? new Map<string, unknown>();
    const ctx: any = {
      ...createMockActionContext({
        input: input as any,
        workspacePath: workspacePath(),
        logger,
        secrets: {
          backstageToken: 'backstage-user-token',
          ...(options.secrets ?? {
            DB_PASSWORD,
            STRIPE_API_KEY: STRIPE_KEY,
          }),
        },
        task: { id: options.taskId ?? 'task-1' },
      }),
      isDryRun: options.isDryRun,
      // Like the task runner: a completed checkpoint is not run again and its stored value is returned.
      async checkpoint({
        key,
        fn,
      }: {
        key: string;
        fn: () => Promise<unknown>;
      }) {
        if (!checkpoints.has(key)) {
          checkpoints.set(key, await fn());
        }
        return checkpoints.get(key);
      },
    };
    const outputs = () =>
      Object.fromEntries(
        (ctx.output as jest.Mock).mock.calls.map(([name, value]) => [
          name,
          value,
        ]),
      );
    const logLines = () =>
      (['debug', 'info', 'warn', 'error', 'child'] as const).flatMap(level =>
        logger[level].mock.calls.map(args => JSON.stringify(args)),
      );
    return { ctx, logger, checkpoints, outputs, logLines };
  }

  /** Every file under a directory, with its content. */
  async function filesUnder(dir: string): Promise<Record<string, string>> {
    const result: Record<string, string> = {};
    if (!(await fs.pathExists(dir))) return result;
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        Object.assign(result, await filesUnder(path));
      } else {
        result[path] = await fs.readFile(path, 'utf8');
      }
    }
    return result;
  }

  /** Asserts that no secret value reached the logs, the outputs, the checkpoints or the workspace. */
  async function expectNoValueLeaked(
    run: ReturnType<typeof context>,
    error?: unknown,
  ) {
    const places = [
      ...run.logLines(),
      JSON.stringify(run.outputs()),
      JSON.stringify([...run.checkpoints.entries()]),
      JSON.stringify(await filesUnder(workspacePath())),
      error ? `${String(error)} ${(error as Error).stack}` : '',
    ].join('\n');
    for (const value of [DB_PASSWORD, STRIPE_KEY, 'backstage-user-token']) {
      expect(places).not.toContain(value);
    }
  }

  const twoSecrets = {
    component: 'payments-api',
    secrets: ['DB_PASSWORD', 'STRIPE_API_KEY'],
    environments: ['dev'],
    catalogInfoUrl: CATALOG_INFO_URL,
  };

  beforeEach(() => {
    mockDir.clear();
    mockDir.setContent({
      workspace: { 'catalog-info.yaml': 'kind: Component\n' },
    });
  });

  describe('with the local provider', () => {
    it('writes each secret to its own 0600 file for dev and reports the paths', async () => {
      const run = context(twoSecrets);
      await createAction().handler(run.ctx);

      expect(await filesUnder(secretsDir())).toEqual({
        [join(secretsDir(), 'dev/payments-api/DB_PASSWORD')]: DB_PASSWORD,
        [join(secretsDir(), 'dev/payments-api/STRIPE_API_KEY')]: STRIPE_KEY,
      });
      const mode = async (p: string) =>
        (await fs.stat(join(secretsDir(), p))).mode & 0o777;
      expect(await mode('dev/payments-api/DB_PASSWORD')).toBe(0o600);
      expect(await mode('dev/payments-api')).toBe(0o700);
      expect(await mode('.')).toBe(0o700);
      expect(run.outputs()).toEqual({
        seeded: [
          'dev/payments-api/DB_PASSWORD',
          'dev/payments-api/STRIPE_API_KEY',
        ],
        existing: [],
        missing: [],
      });
      expect([...run.checkpoints.entries()]).toEqual([
        [
          'golden-path.secrets.seed.local.dev/payments-api/DB_PASSWORD',
          'created',
        ],
        [
          'golden-path.secrets.seed.local.dev/payments-api/STRIPE_API_KEY',
          'created',
        ],
      ]);
      await expectNoValueLeaked(run);
    });

    it('leaves secrets that exist unchanged and reports them as existing', async () => {
      await createAction().handler(context(twoSecrets).ctx);

      const second = context(
        { ...twoSecrets, environments: ['dev', 'staging'] },
        {
          secrets: {
            DB_PASSWORD: 'a-new-value',
            STRIPE_API_KEY: 'another-new-value',
          },
          taskId: 'task-2',
        },
      );
      await createAction().handler(second.ctx);

      expect(second.outputs()).toEqual({
        seeded: [
          'staging/payments-api/DB_PASSWORD',
          'staging/payments-api/STRIPE_API_KEY',
        ],
        existing: [
          'dev/payments-api/DB_PASSWORD',
          'dev/payments-api/STRIPE_API_KEY',
        ],
        missing: [],
      });
      expect(
        await fs.readFile(
          join(secretsDir(), 'dev/payments-api/DB_PASSWORD'),
          'utf8',
        ),
      ).toBe(DB_PASSWORD);
      expect(second.logger.info).toHaveBeenCalledWith(
        `Left ${join(
          secretsDir(),
          'dev/payments-api/DB_PASSWORD',
        )} unchanged: it exists already`,
      );
    });

    it('lists the secrets still without a value in which environment', async () => {
      // STRIPE_API_KEY for prod was stored by hand before: it is not missing.
      await fs.outputFile(
        join(secretsDir(), 'prod/payments-api/STRIPE_API_KEY'),
        'by-hand',
      );
      const run = context(
        { ...twoSecrets, environments: undefined },
        { secrets: { 'DB_PASSWORD@dev': DB_PASSWORD, STRIPE_API_KEY: '' } },
      );
      await createAction().handler(run.ctx);

      expect(run.outputs()).toEqual({
        seeded: ['dev/payments-api/DB_PASSWORD'],
        existing: [],
        missing: [
          'DB_PASSWORD in staging',
          'DB_PASSWORD in prod',
          'STRIPE_API_KEY in dev',
          'STRIPE_API_KEY in staging',
        ],
      });
      expect(run.logger.warn).toHaveBeenCalledWith(
        expect.stringContaining(
          'No value yet for DB_PASSWORD in staging, DB_PASSWORD in prod, STRIPE_API_KEY in dev, STRIPE_API_KEY in staging',
        ),
      );
      expect(
        await fs.pathExists(
          join(secretsDir(), 'dev/payments-api/STRIPE_API_KEY'),
        ),
      ).toBe(false);
    });

    it('does not repeat completed writes when a resumed task replays the step', async () => {
      const checkpoints = new Map<string, unknown>();
      await createAction().handler(context(twoSecrets, { checkpoints }).ctx);
      // The secrets exist now; the replay still reports them as created by this task.
      const replay = context(twoSecrets, { checkpoints });
      await createAction().handler(replay.ctx);
      expect(replay.outputs().seeded).toEqual([
        'dev/payments-api/DB_PASSWORD',
        'dev/payments-api/STRIPE_API_KEY',
      ]);
    });

    it('writes nothing in a dry run and returns the paths it would write', async () => {
      const run = context(
        { ...twoSecrets, environments: ['dev', 'prod'] },
        { isDryRun: true },
      );
      await createAction().handler(run.ctx);

      expect(await fs.pathExists(secretsDir())).toBe(false);
      expect(run.checkpoints.size).toBe(0);
      expect(run.outputs()).toEqual({
        seeded: [
          'dev/payments-api/DB_PASSWORD',
          'prod/payments-api/DB_PASSWORD',
          'dev/payments-api/STRIPE_API_KEY',
          'prod/payments-api/STRIPE_API_KEY',
        ],
        existing: [],
        missing: [],
      });
      await expectNoValueLeaked(run);
    });
  });

  describe('with Vault', () => {
    const vaultConfig = (vault: ReturnType<typeof fakeVault>) => ({
      provider: 'vault',
      vault: { address: vault.address, token: vault.token },
    });

    it('writes each secret with check-and-set 0 and never overwrites one', async () => {
      const vault = fakeVault();
      server.use(...vault.handlers);
      const first = context(
        { ...twoSecrets, environments: ['dev', 'staging'] },
        {
          secrets: {
            'DB_PASSWORD@dev': DB_PASSWORD,
            'DB_PASSWORD@staging': DB_PASSWORD,
            STRIPE_API_KEY: STRIPE_KEY,
          },
        },
      );
      await createAction(vaultConfig(vault)).handler(first.ctx);

      expect(vault.requests.map(r => [r.method, r.pathname, r.body])).toEqual([
        [
          'POST',
          '/v1/secret/data/dev/payments-api/DB_PASSWORD',
          { options: { cas: 0 }, data: { value: DB_PASSWORD } },
        ],
        [
          'POST',
          '/v1/secret/data/staging/payments-api/DB_PASSWORD',
          { options: { cas: 0 }, data: { value: DB_PASSWORD } },
        ],
        [
          'POST',
          '/v1/secret/data/dev/payments-api/STRIPE_API_KEY',
          { options: { cas: 0 }, data: { value: STRIPE_KEY } },
        ],
        [
          'POST',
          '/v1/secret/data/staging/payments-api/STRIPE_API_KEY',
          { options: { cas: 0 }, data: { value: STRIPE_KEY } },
        ],
      ]);
      expect(
        vault.requests.every(r => r.headers['x-vault-token'] === vault.token),
      ).toBe(true);
      expect(first.outputs().seeded).toHaveLength(4);
      expect(first.logger.info).toHaveBeenCalledWith(
        `Created secret/data/dev/payments-api/DB_PASSWORD at ${vault.address}`,
      );
      await expectNoValueLeaked(first);

      const second = context(
        { ...twoSecrets, secrets: [twoSecrets.secrets[0]] },
        { secrets: { DB_PASSWORD: 'rotated-by-mistake' }, taskId: 'task-2' },
      );
      await createAction(vaultConfig(vault)).handler(second.ctx);
      expect(second.outputs()).toEqual({
        seeded: [],
        existing: ['dev/payments-api/DB_PASSWORD'],
        missing: [],
      });
      expect(vault.secrets.get('dev/payments-api/DB_PASSWORD')).toEqual([
        { value: DB_PASSWORD },
      ]);
    });

    it('fails without the token or any value in the error or the logs', async () => {
      const vault = fakeVault();
      server.use(...vault.handlers);
      const run = context(twoSecrets);
      const error = await createAction({
        provider: 'vault',
        vault: { address: vault.address, token: 'hvs.wrong-token' },
      })
        .handler(run.ctx)
        .catch(e => e);

      expect(error.message).toBe(
        `Vault refused to write secret/data/dev/payments-api/DB_PASSWORD at ${vault.address}: HTTP 403 ["permission denied"]`,
      );
      expect(`${error.message} ${run.logLines().join()}`).not.toContain(
        'hvs.wrong-token',
      );
      await expectNoValueLeaked(run, error);
    });

    it('calls no server in a dry run', async () => {
      const vault = fakeVault();
      server.use(...vault.handlers);
      const run = context(twoSecrets, { isDryRun: true });
      await createAction(vaultConfig(vault)).handler(run.ctx);
      expect(vault.requests).toEqual([]);
      expect(run.outputs().seeded).toEqual([
        'dev/payments-api/DB_PASSWORD',
        'dev/payments-api/STRIPE_API_KEY',
      ]);
      expect(run.logger.info).toHaveBeenCalledWith(
        `Dry run: would create secret/data/dev/payments-api/DB_PASSWORD at ${vault.address} unless it exists`,
      );
    });

    it('names the missing config key, also in a dry run', async () => {
      await expect(
        createAction({
          provider: 'vault',
          vault: { address: 'https://vault.example.com' },
        }).handler(context(twoSecrets, { isDryRun: true }).ctx),
      ).rejects.toThrow(
        'goldenPath.secrets.vault.token is required when goldenPath.secrets.provider is vault',
      );
    });
  });

  describe('with AWS Secrets Manager', () => {
    const awsConfig = {
      provider: 'aws-secrets-manager',
      aws: { region: 'eu-central-1' },
    };

    it('creates each secret as a plain string named by its path, and never overwrites one', async () => {
      const aws = fakeAwsSecretsManager({ region: 'eu-central-1' });
      server.use(...aws.handlers);
      const first = context(twoSecrets);
      await createAction(awsConfig).handler(first.ctx);

      expect(
        aws.requests.map(r => [
          r.headers['x-amz-target'],
          r.body.Name,
          r.body.SecretString,
        ]),
      ).toEqual([
        [
          'secretsmanager.CreateSecret',
          'dev/payments-api/DB_PASSWORD',
          DB_PASSWORD,
        ],
        [
          'secretsmanager.CreateSecret',
          'dev/payments-api/STRIPE_API_KEY',
          STRIPE_KEY,
        ],
      ]);
      expect(first.outputs()).toEqual({
        seeded: [
          'dev/payments-api/DB_PASSWORD',
          'dev/payments-api/STRIPE_API_KEY',
        ],
        existing: [],
        missing: [],
      });
      await expectNoValueLeaked(first);

      const second = context(twoSecrets, {
        secrets: { DB_PASSWORD, STRIPE_API_KEY: 'changed' },
        taskId: 'task-2',
      });
      await createAction(awsConfig).handler(second.ctx);
      expect(second.outputs()).toEqual({
        seeded: [],
        existing: [
          'dev/payments-api/DB_PASSWORD',
          'dev/payments-api/STRIPE_API_KEY',
        ],
        missing: [],
      });
      expect(
        [...aws.secrets.values()].map(s => s.versions.map(v => v.secretString)),
      ).toEqual([[DB_PASSWORD], [STRIPE_KEY]]);
    });

    it('calls no server in a dry run', async () => {
      const aws = fakeAwsSecretsManager({ region: 'eu-central-1' });
      server.use(...aws.handlers);
      await createAction(awsConfig).handler(
        context(twoSecrets, { isDryRun: true }).ctx,
      );
      expect(aws.requests).toEqual([]);
    });
  });

  describe('with GCP Secret Manager', () => {
    it('explains that it cannot seed, when there is a value to seed', async () => {
      await expect(
        createAction({ provider: 'gcp-secret-manager' }).handler(
          context(twoSecrets).ctx,
        ),
      ).rejects.toThrow(
        /^Seeding secrets is not supported for goldenPath.secrets.provider gcp-secret-manager: create the secrets in GCP Secret Manager directly/,
      );
    });

    it('succeeds when no secret has a value', async () => {
      const run = context(twoSecrets, { secrets: {} });
      await createAction({ provider: 'gcp-secret-manager' }).handler(run.ctx);
      expect(run.outputs()).toEqual({
        seeded: [],
        existing: [],
        missing: ['DB_PASSWORD in dev', 'STRIPE_API_KEY in dev'],
      });
    });
  });

  it.each([
    [
      { component: 'Payments' },
      'Invalid component "Payments": it must be lowercase',
    ],
    [
      { secrets: ['DB_PASSWORD', 'db-password'] },
      'Invalid secrets[1] "db-password": it must use uppercase letters, digits and underscores, starting with a letter, at most 63 characters (e.g. DB_PASSWORD)',
    ],
    [
      { secrets: ['DB_PASSWORD', 'DB_PASSWORD'] },
      'Invalid secrets[1] "DB_PASSWORD": it is declared twice',
    ],
    [
      { environments: ['qa'] },
      `Invalid environments[0] "qa": it is not one of the policy's environments (dev, staging, prod)`,
    ],
    [
      { environments: ['dev', 'dev'] },
      'Invalid environments[1] "dev": it is listed twice',
    ],
    [
      { environments: [] },
      'Invalid environments: list at least one of dev, staging, prod',
    ],
  ])(
    'rejects %j with an InputError and writes nothing',
    async (override, message) => {
      const run = context({ ...twoSecrets, ...override });
      const error = await createAction()
        .handler(run.ctx)
        .catch(e => e);
      expect(error.name).toBe('InputError');
      expect(error.message).toContain(message);
      expect(await fs.pathExists(secretsDir())).toBe(false);
      await expectNoValueLeaked(run, error);
    },
  );

  it.each([
    [
      'a line break',
      `${STRIPE_KEY}\nsecond-line`,
      'it must be a single line: it contains a line break',
    ],
    [
      '1 MB',
      'x'.repeat(1024 * 1024),
      'it is 1048576 bytes long; the limit is 65536',
    ],
  ])(
    'refuses a value with %s, naming the secret and environment, and stores nothing (not even the valid ones)',
    async (_, badValue, problem) => {
      const run = context(
        { ...twoSecrets, environments: ['dev', 'staging'] },
        { secrets: { DB_PASSWORD, 'STRIPE_API_KEY@staging': badValue } },
      );
      const error = await createAction()
        .handler(run.ctx)
        .catch(e => e);
      expect(error.name).toBe('InputError');
      expect(error.message).toBe(
        `Invalid value of secret STRIPE_API_KEY for staging (task secret STRIPE_API_KEY@staging): ${problem}. Nothing was stored.`,
      );
      expect(await fs.pathExists(secretsDir())).toBe(false);
      await expectNoValueLeaked(run, error);
    },
  );

  describe('seeds only the component this task registered', () => {
    const component = (managedBy: string) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'payments-api',
        namespace: 'default',
        annotations: { 'backstage.io/managed-by-location': managedBy },
      },
      spec: {},
    });
    const location = (target: string) => ({
      id: 'l1',
      type: 'url',
      target,
    });
    const withCatalog = (catalog: any) => {
      const config = new ConfigReader({
        goldenPath: { secrets: { local: { directory: secretsDir() } } },
      });
      return createSecretsSeedAction({
        policy: readGoldenPathPolicy(config),
        config,
        catalog,
      });
    };
    const catalogWith = (opts: { locations: any[]; entities: any[] }) =>
      ({
        getLocationByRef: jest.fn(async (ref: string) =>
          opts.locations.find(l => `${l.type}:${l.target}` === ref),
        ),
        getEntityByRef: jest.fn(async () => opts.entities[0]),
      } as any);

    it('seeds when the catalog has the location this task registered and the component is managed by it', async () => {
      const run = context(twoSecrets);
      await withCatalog(
        catalogWith({
          locations: [location(CATALOG_INFO_URL)],
          entities: [component(`url:${CATALOG_INFO_URL}`)],
        }),
      ).handler(run.ctx);
      expect(run.outputs().seeded).toHaveLength(2);
    });

    it('refuses a component that another location manages, and stores nothing', async () => {
      const run = context(twoSecrets);
      const error = await withCatalog(
        catalogWith({
          locations: [location(CATALOG_INFO_URL)],
          entities: [
            component(
              'url:https://github.com/acme/payments/blob/main/catalog-info.yaml',
            ),
          ],
        }),
      )
        .handler(run.ctx)
        .catch(e => e);
      expect(error.name).toBe('NotAllowedError');
      expect(error.message).toBe(
        `Refusing to seed secrets of component:default/payments-api: it is managed by url:https://github.com/acme/payments/blob/main/catalog-info.yaml, not by url:${CATALOG_INFO_URL}, which this task registered`,
      );
      expect(await fs.pathExists(secretsDir())).toBe(false);
    });

    it('refuses before registration (no such location in the catalog), and stores nothing', async () => {
      const run = context(twoSecrets);
      await expect(
        withCatalog(catalogWith({ locations: [], entities: [] })).handler(
          run.ctx,
        ),
      ).rejects.toThrow(
        `Invalid catalogInfoUrl "${CATALOG_INFO_URL}": it is not a location in the catalog: run golden-path:secrets:seed after catalog:register`,
      );
      expect(await fs.pathExists(secretsDir())).toBe(false);
    });
  });
});
