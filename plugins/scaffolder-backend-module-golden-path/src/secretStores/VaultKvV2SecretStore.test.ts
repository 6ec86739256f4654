import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { fakeVault } from './__testUtils__/fakeVault';
import { VaultKvV2SecretStore } from './VaultKvV2SecretStore';

describe('VaultKvV2SecretStore', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('writes the value under "value" with check-and-set 0 to the KV v2 data path', async () => {
    const vault = fakeVault();
    server.use(...vault.handlers);
    const store = new VaultKvV2SecretStore({
      address: `${vault.address}/`,
      token: vault.token,
    });

    await expect(
      store.create('dev/payments-api/DB_PASSWORD', 's3cr3t'),
    ).resolves.toBe('created');

    expect(vault.requests).toEqual([
      {
        method: 'POST',
        pathname: '/v1/secret/data/dev/payments-api/DB_PASSWORD',
        headers: expect.objectContaining({
          'x-vault-token': vault.token,
          'content-type': 'application/json',
        }),
        body: { options: { cas: 0 }, data: { value: 's3cr3t' } },
      },
    ]);
    expect(vault.requests[0].headers).not.toHaveProperty('x-vault-namespace');
    expect(vault.secrets.get('dev/payments-api/DB_PASSWORD')).toEqual([
      { value: 's3cr3t' },
    ]);
  });

  it('reports an existing secret and does not write a new version', async () => {
    const vault = fakeVault();
    server.use(...vault.handlers);
    const store = new VaultKvV2SecretStore({
      address: vault.address,
      token: vault.token,
    });

    await store.create('dev/payments-api/DB_PASSWORD', 'first');
    await expect(
      store.create('dev/payments-api/DB_PASSWORD', 'second'),
    ).resolves.toBe('exists');
    expect(vault.secrets.get('dev/payments-api/DB_PASSWORD')).toEqual([
      { value: 'first' },
    ]);
  });

  it('uses the configured mount and namespace and encodes each path segment', async () => {
    const vault = fakeVault({ mount: 'kv/platform', namespace: 'team-a' });
    server.use(...vault.handlers);
    const store = new VaultKvV2SecretStore({
      address: vault.address,
      token: vault.token,
      mount: 'kv/platform',
      namespace: 'team-a',
    });

    await expect(store.create('dev/payments api/KEY#1', 'v')).resolves.toBe(
      'created',
    );
    expect(vault.requests[0].pathname).toBe(
      '/v1/kv/platform/data/dev/payments%20api/KEY%231',
    );
    expect(vault.requests[0].headers['x-vault-namespace']).toBe('team-a');
    expect(vault.secrets.has('dev/payments api/KEY#1')).toBe(true);
    expect(store.describe('dev/x/KEY')).toBe(
      `kv/platform/data/dev/x/KEY at ${vault.address} (namespace team-a)`,
    );
  });

  it("fails with the status and Vault's errors, but never the token or the value", async () => {
    const vault = fakeVault({ token: 'the-right-token' });
    server.use(...vault.handlers);
    const store = new VaultKvV2SecretStore({
      address: vault.address,
      token: 'a-wrong-token',
    });

    const error = await store.create('dev/x/KEY', 'hidden-value').catch(e => e);
    expect(error.message).toBe(
      `Vault refused to write secret/data/dev/x/KEY at ${vault.address}: HTTP 403 ["permission denied"]`,
    );
    expect(error.message).not.toMatch(/a-wrong-token|hidden-value/);
  });

  it('refuses paths that could leave the data path before sending anything', async () => {
    const vault = fakeVault();
    server.use(...vault.handlers);
    const store = new VaultKvV2SecretStore({
      address: vault.address,
      token: vault.token,
    });
    await expect(store.create('dev/../../sys/x', 'v')).rejects.toThrow(
      'Invalid secret path "dev/../../sys/x"',
    );
    expect(vault.requests).toEqual([]);
  });

  it('explains a KV version 1 mount, which answers 204 without a version', async () => {
    server.use(
      http.post(
        'https://vault.example.com/v1/secret/data/*',
        () => new HttpResponse(null, { status: 204 }),
      ),
    );
    const store = new VaultKvV2SecretStore({
      address: 'https://vault.example.com',
      token: 't',
    });
    await expect(store.create('dev/x/KEY', 'v')).rejects.toThrow(
      /KV version 1 mount.*vault kv enable-versioning secret/,
    );
  });

  it.each([301, 302, 307, 308])(
    'refuses to follow an HTTP %i redirect, so neither the token nor the secret reaches another origin',
    async status => {
      const elsewhere: Request[] = [];
      server.use(
        http.all(
          'https://vault.example.com:8200/v1/*',
          () =>
            new HttpResponse(null, {
              status,
              headers: { Location: 'https://attacker.example.net/v1/steal' },
            }),
        ),
        http.all('https://attacker.example.net/*', ({ request }) => {
          elsewhere.push(request);
          return HttpResponse.json({ data: { version: 1 } });
        }),
      );
      const store = new VaultKvV2SecretStore({
        address: 'https://vault.example.com:8200',
        token: 'hvs.test-token-not-a-secret',
      });
      await expect(
        store.create('dev/payments-api/DB_PASSWORD', 's3cr3t'),
      ).rejects.toThrow(
        `Vault answered the write of secret/data/dev/payments-api/DB_PASSWORD at https://vault.example.com:8200 with a redirect (HTTP ${status} to https://attacker.example.net), which golden-path does not follow`,
      );
      await expect(
        store.exists('dev/payments-api/DB_PASSWORD'),
      ).rejects.toThrow('with a redirect');
      expect(elsewhere).toEqual([]);
    },
  );

  it('tells from the metadata endpoint whether a secret exists, never reading its value', async () => {
    const vault = fakeVault();
    server.use(...vault.handlers);
    const store = new VaultKvV2SecretStore({
      address: vault.address,
      token: vault.token,
    });
    await expect(store.exists('dev/payments-api/DB_PASSWORD')).resolves.toBe(
      false,
    );
    await store.create('dev/payments-api/DB_PASSWORD', 's3cr3t');
    vault.requests.length = 0;
    await expect(store.exists('dev/payments-api/DB_PASSWORD')).resolves.toBe(
      true,
    );
    expect(vault.requests).toEqual([
      expect.objectContaining({
        method: 'GET',
        pathname: '/v1/secret/metadata/dev/payments-api/DB_PASSWORD',
      }),
    ]);
  });

  it('counts a deleted current version as missing', async () => {
    server.use(
      http.get('https://vault.example.com:8200/v1/secret/metadata/*', () =>
        HttpResponse.json({
          data: {
            current_version: 2,
            versions: {
              '1': { deletion_time: '', destroyed: false },
              '2': { deletion_time: '2026-01-01T00:00:00Z', destroyed: false },
            },
          },
        }),
      ),
    );
    const store = new VaultKvV2SecretStore({
      address: 'https://vault.example.com:8200',
      token: 't',
    });
    await expect(store.exists('dev/a/B')).resolves.toBe(false);
  });
});
