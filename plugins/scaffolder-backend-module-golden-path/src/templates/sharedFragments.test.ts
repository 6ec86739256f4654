import { createMockDirectory } from '@backstage/backend-test-utils';
import { PlaceholderResolverParams } from '@backstage/plugin-catalog-node';
import { symlinkSync } from 'node:fs';
import {
  textPlaceholderResolver,
  yamlPlaceholderResolver,
} from './sharedFragments';

describe('template placeholder resolvers', () => {
  const dir = createMockDirectory();

  beforeEach(() => {
    dir.setContent({
      'outside.yaml': 'secret: true',
      'templates/shared/page.yaml': 'title: Service\nproperties: {}',
      'templates/shared/two.yaml': 'a: 1\n---\nb: 2',
      'templates/shared/notes.md': 'Shared notes',
      'templates/go-api/template.yaml': 'kind: Template',
    });
  });

  const params = (
    value: unknown,
    overrides: Partial<PlaceholderResolverParams> = {},
  ): PlaceholderResolverParams => ({
    key: 'yaml',
    value: value as string,
    baseUrl: dir.resolve('templates/go-api/template.yaml'),
    read: jest.fn(),
    resolveUrl: jest.fn(),
    emit: jest.fn(),
    ...overrides,
  });

  it('reads a file relative to a file location, within the parent folder', async () => {
    await expect(
      yamlPlaceholderResolver(params('../shared/page.yaml')),
    ).resolves.toEqual({ title: 'Service', properties: {} });
    await expect(
      textPlaceholderResolver(params('../shared/notes.md', { key: 'text' })),
    ).resolves.toBe('Shared notes');
  });

  it('refuses absolute paths, paths and symlinks out of the parent folder, and missing files', async () => {
    await expect(
      yamlPlaceholderResolver(params(dir.resolve('outside.yaml'))),
    ).rejects.toThrow('must be a path relative to the file that uses it');
    await expect(
      yamlPlaceholderResolver(params('../../outside.yaml')),
    ).rejects.toThrow(/resolves outside/);
    symlinkSync(
      dir.resolve('outside.yaml'),
      dir.resolve('templates/shared/link.yaml'),
    );
    await expect(
      yamlPlaceholderResolver(params('../shared/link.yaml')),
    ).rejects.toThrow(/resolves outside/);
    await expect(
      yamlPlaceholderResolver(params('../shared/nope.yaml')),
    ).rejects.toThrow(/no such file/);
    await expect(yamlPlaceholderResolver(params(42))).rejects.toThrow(
      'expected a relative path or a URL as text',
    );
  });

  it('wants exactly one YAML document', async () => {
    await expect(
      yamlPlaceholderResolver(params('../shared/two.yaml')),
    ).rejects.toThrow('expected exactly one YAML document, found 2');
  });

  it('reads URL locations through the integrations, from the same repository only', async () => {
    const base =
      'https://github.com/acme/templates/blob/main/go-api/template.yaml';
    const read = jest.fn(async () => Buffer.from('title: Remote'));
    const emit = jest.fn();
    const resolveUrl = (url: string, from: string) => new URL(url, from).href;
    await expect(
      yamlPlaceholderResolver(
        params('../shared/page.yaml', {
          baseUrl: base,
          read,
          emit,
          resolveUrl,
        }),
      ),
    ).resolves.toEqual({ title: 'Remote' });
    expect(read).toHaveBeenCalledWith(
      'https://github.com/acme/templates/blob/main/shared/page.yaml',
    );
    expect(emit).toHaveBeenCalled();
    await expect(
      yamlPlaceholderResolver(
        params('https://github.com/other/repo/blob/main/x.yaml', {
          baseUrl: base,
          read,
          resolveUrl,
        }),
      ),
    ).rejects.toThrow('may only reference files from the same repository');
  });
});
