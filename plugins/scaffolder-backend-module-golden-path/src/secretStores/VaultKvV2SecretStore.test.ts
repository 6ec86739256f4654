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
});
