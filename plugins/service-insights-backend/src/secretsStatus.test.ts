import {
  createMockDirectory,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { readGoldenPathPolicy } from '@golden-path/common';
import fs from 'node:fs';
import { join } from 'node:path';
import { createSecretsStatus } from './secretsStatus';

describe('secrets status', () => {
  const dir = createMockDirectory();
  const component = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'payments-api',
      namespace: 'default',
      annotations: { 'golden-path.io/secrets': 'DB_PASSWORD,STRIPE_API_KEY' },
    },
    spec: {},
  };
  const statusFor = (secrets: object, entities = [component]) => {
    const config = new ConfigReader({ goldenPath: { secrets } });
    return createSecretsStatus({
      catalog: catalogServiceMock({ entities }),
      policy: readGoldenPathPolicy(config),
      config,
      logger: mockServices.logger.mock(),
    });
  };
  const credentials = mockCredentials.user();

  it('tells per environment which declared secrets exist, without any value', async () => {
    dir.setContent({
      'dev/payments-api/DB_PASSWORD': 'pg-value-never-shown',
      'prod/payments-api/STRIPE_API_KEY': 'sk-value-never-shown',
    });
    const status = await statusFor({ local: { directory: dir.path } })(
      'component:default/payments-api',
      { credentials },
    );
    expect(status).toEqual({
      provider: 'local',
      environments: ['dev', 'staging', 'prod'],
      secrets: [
        {
          name: 'DB_PASSWORD',
          environments: { dev: 'present', staging: 'missing', prod: 'missing' },
        },
        {
          name: 'STRIPE_API_KEY',
          environments: { dev: 'missing', staging: 'missing', prod: 'present' },
        },
      ],
    });
    expect(JSON.stringify(status)).not.toMatch(/never-shown/);
    expect(fs.readdirSync(join(dir.path, 'dev/payments-api'))).toEqual([
      'DB_PASSWORD',
    ]);
  });

  it('answers unknown, and says why, when the provider cannot be asked', async () => {
    const status = await statusFor({ provider: 'vault' })(
      'component:default/payments-api',
      { credentials },
    );
    expect(status.secrets[0].environments).toEqual({
      dev: 'unknown',
      staging: 'unknown',
      prod: 'unknown',
    });
    expect(status.error).toBe(
      'The secret manager is not configured: goldenPath.secrets.vault.address is required when goldenPath.secrets.provider is vault',
    );
  });

  it('404s for a component the caller cannot see', async () => {
    await expect(
      statusFor({ local: { directory: dir.path } }, [])(
        'component:default/payments-api',
        { credentials },
      ),
    ).rejects.toThrow(
      'No component component:default/payments-api, or you may not see it',
    );
  });
});
