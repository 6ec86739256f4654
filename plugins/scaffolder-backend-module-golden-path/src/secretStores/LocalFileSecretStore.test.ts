import { createMockDirectory } from '@backstage/backend-test-utils';
import fs from 'fs-extra';
import { join } from 'node:path';
import { LocalFileSecretStore } from './LocalFileSecretStore';

describe('LocalFileSecretStore', () => {
  const mockDir = createMockDirectory();
  const directory = () => mockDir.resolve('secrets');
  const store = () => new LocalFileSecretStore({ directory: directory() });
  const mode = async (path: string) => (await fs.stat(path)).mode & 0o777;

  beforeEach(() => mockDir.clear());

  it('writes one file per secret, readable by the backend user only', async () => {
    await expect(
      store().create('dev/payments-api/DB_PASSWORD', 's3cr3t-value'),
    ).resolves.toBe('created');

    const file = join(directory(), 'dev/payments-api/DB_PASSWORD');
    expect(await fs.readFile(file, 'utf8')).toBe('s3cr3t-value');
    expect(await mode(file)).toBe(0o600);
    for (const dir of ['', 'dev', 'dev/payments-api']) {
      expect(await mode(join(directory(), dir))).toBe(0o700);
    }
  });

  it('reports an existing secret and leaves its value unchanged', async () => {
    await store().create('dev/payments-api/DB_PASSWORD', 'first');
    await expect(
      store().create('dev/payments-api/DB_PASSWORD', 'second'),
    ).resolves.toBe('exists');
    expect(
      await fs.readFile(
        join(directory(), 'dev/payments-api/DB_PASSWORD'),
        'utf8',
      ),
    ).toBe('first');
  });

  it('describes where a secret lives without its value', () => {
    expect(store().describe('dev/payments-api/DB_PASSWORD')).toBe(
      join(directory(), 'dev/payments-api/DB_PASSWORD'),
    );
  });

  it.each([
    '../outside',
    'dev/../../outside',
    '/etc/outside',
    'dev//X',
    'dev\\X',
  ])('refuses the path %j and writes nothing', async path => {
    await expect(store().create(path, 'value')).rejects.toThrow(
      `Invalid secret path ${JSON.stringify(path)}`,
    );
    expect(await fs.pathExists(mockDir.resolve('outside'))).toBe(false);
    expect(await fs.pathExists(directory())).toBe(false);
  });

  it('refuses to follow a symlink out of its directory', async () => {
    mockDir.setContent({ elsewhere: {}, secrets: {} });
    await fs.symlink(mockDir.resolve('elsewhere'), join(directory(), 'dev'));
    await expect(store().create('dev/payments-api/X', 'value')).rejects.toThrow(
      /outside/,
    );
    expect(await fs.readdir(mockDir.resolve('elsewhere'))).toEqual([]);
  });

  it('names the file but not the value when it cannot write', async () => {
    mockDir.setContent({ secrets: { dev: 'a file, not a directory' } });
    const error = await store()
      .create('dev/payments-api/DB_PASSWORD', 'never-shown')
      .catch(e => e);
    expect(error.message).toContain(join(directory(), 'dev'));
    expect(error.message).not.toContain('never-shown');
  });

  it('tells whether a secret exists', async () => {
    await expect(store().exists('dev/payments-api/DB_PASSWORD')).resolves.toBe(
      false,
    );
    await store().create('dev/payments-api/DB_PASSWORD', 'v');
    await expect(store().exists('dev/payments-api/DB_PASSWORD')).resolves.toBe(
      true,
    );
    await expect(store().exists('dev/payments-api')).resolves.toBe(false);
  });

  it('never shows a secret before its value is written, so a crash mid-write leaves none behind', async () => {
    // Stall the write of the value, as a crash at that point would, and look at the store meanwhile.
    let release: () => void = () => {};
    const stalled = new Promise<void>(resolve => {
      release = resolve;
    });
    const realWriteFile = fs.promises.writeFile;
    const spy = jest
      .spyOn(require('node:fs/promises'), 'writeFile')
      .mockImplementation(async (...args: any[]) => {
        await stalled;
        return (realWriteFile as any)(...args);
      });
    try {
      const pending = store().create('dev/payments-api/DB_PASSWORD', 'v');
      await new Promise(resolve => setTimeout(resolve, 50));
      expect(
        await fs.pathExists(join(directory(), 'dev/payments-api/DB_PASSWORD')),
      ).toBe(false);
      await expect(
        store().exists('dev/payments-api/DB_PASSWORD'),
      ).resolves.toBe(false);
      release();
      await expect(pending).resolves.toBe('created');
    } finally {
      spy.mockRestore();
    }
    expect(
      await fs.readFile(
        join(directory(), 'dev/payments-api/DB_PASSWORD'),
        'utf8',
      ),
    ).toBe('v');
    // Only the secret is left: no scratch file.
    expect(await fs.readdir(join(directory(), 'dev/payments-api'))).toEqual([
      'DB_PASSWORD',
    ]);
  });
});
