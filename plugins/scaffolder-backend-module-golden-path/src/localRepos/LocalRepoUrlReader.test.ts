import { createMockDirectory } from '@backstage/backend-test-utils';
import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import { ConfigReader } from '@backstage/config';
import { NotModifiedError } from '@backstage/errors';
import { mockServices } from '@backstage/backend-test-utils';
import { pathToFileURL } from 'node:url';
import { LocalRepoUrlReader } from './LocalRepoUrlReader';

describe('LocalRepoUrlReader', () => {
  const mockDir = createMockDirectory();
  const url = (path: string) => pathToFileURL(mockDir.resolve(path)).toString();
  // The reader as the catalog gets it: inside the real UrlReaders composition.
  const reader = () =>
    UrlReaders.default({
      config: new ConfigReader({}),
      logger: mockServices.logger.mock(),
      factories: [
        ({ treeResponseFactory }) => {
          const local = new LocalRepoUrlReader(
            mockDir.resolve('repos'),
            treeResponseFactory,
          );
          return [{ reader: local, predicate: u => local.handles(u) }];
        },
      ],
    });

  beforeEach(() => {
    mockDir.clear();
    mockDir.setContent({
      'secret.txt': 'outside the root',
      'secrets/dev/payments-api/DB_PASSWORD': 's3cr3t',
      repos: {
        'payments-api': {
          'catalog-info.yaml': 'kind: Component\n',
          'docs/index.md': '# docs',
          '.git/config': '[core]',
          // What publish:local copies from a workspace as links: one to a file and one to a folder outside.
          leak: ({ symlink }) => symlink('../../secret.txt'),
          'leak-dir': ({ symlink }) => symlink('../../secrets'),
          'to-other-repo': ({ symlink }) =>
            symlink('../search-api/catalog-info.yaml'),
          'docs/readme-link.md': ({ symlink }) => symlink('index.md'),
        },
        'search-api': { 'catalog-info.yaml': 'kind: Component\n' },
        'linked-repo': ({ symlink }) => symlink('../secrets'),
      },
    });
  });

  it('reads a published catalog-info.yaml the way the catalog does (search on a plain URL)', async () => {
    const result = await reader().search(
      url('repos/payments-api/catalog-info.yaml'),
    );
    expect(result.files).toHaveLength(1);
    expect((await result.files[0].content()).toString()).toBe(
      'kind: Component\n',
    );
    await expect(
      reader().search(url('repos/payments-api/catalog-info.yaml'), {
        etag: result.etag,
      }),
    ).rejects.toThrow(NotModifiedError);
  });

  it('finds files by glob and never lists .git', async () => {
    const result = await reader().search(url('repos/*/**'));
    expect(result.files.map(f => f.url).sort()).toEqual([
      url('repos/payments-api/catalog-info.yaml'),
      url('repos/payments-api/docs/index.md'),
      url('repos/search-api/catalog-info.yaml'),
    ]);
  });

  it('reads a whole repository as a tree without its .git folder', async () => {
    const tree = await reader().readTree(url('repos/payments-api'));
    const files = await tree.files();
    expect(files.map(f => f.path).sort()).toEqual([
      'catalog-info.yaml',
      'docs/index.md',
    ]);
  });

  it('refuses files outside the publish root, also through ..', async () => {
    await expect(reader().readUrl(url('secret.txt'))).rejects.toThrow(
      /not allowed/i,
    );
    await expect(
      reader().readUrl(`${url('repos')}/../secret.txt`),
    ).rejects.toThrow(/not allowed/i);
  });

  describe('refuses what lies beyond one repository', () => {
    const refused = async (read: Promise<unknown>) => {
      const error = await read.then(
        () => undefined,
        e => e,
      );
      // NotAllowedError is answered as 403 by the backend's error handler, NotFoundError as 404.
      expect(error?.name).toMatch(/^(NotAllowedError|NotFoundError)$/);
      return error as Error;
    };

    it('refuses the publish root itself, with or without a trailing slash', async () => {
      expect.hasAssertions();
      await refused(reader().readTree(url('repos')));
      await refused(reader().readTree(`${url('repos')}/`));
      await refused(reader().readTree(`${url('repos')}/.`));
      await refused(reader().readTree(`${url('repos/payments-api')}/..`));
    });

    it('refuses .git folders and the files in them', async () => {
      expect.hasAssertions();
      await refused(reader().readTree(url('repos/payments-api/.git')));
      await refused(reader().readUrl(url('repos/payments-api/.git/config')));
      await refused(reader().search(url('repos/payments-api/.git/config')));
    });

    it('refuses symlinks whose target leaves the repository', async () => {
      for (const path of [
        'repos/payments-api/leak',
        'repos/payments-api/to-other-repo',
      ]) {
        const error = await refused(reader().readUrl(url(path)));
        expect(error.name).toBe('NotAllowedError');
      }
      await refused(reader().readTree(url('repos/payments-api/leak-dir')));
      await refused(
        reader().readUrl(
          url('repos/payments-api/leak-dir/dev/payments-api/DB_PASSWORD'),
        ),
      );
      await refused(reader().readTree(url('repos/linked-repo')));
      await refused(reader().search(url('repos/payments-api/leak')));
    });

    it('leaves links out of trees and globs, and follows links that stay inside', async () => {
      const tree = await reader().readTree(url('repos/payments-api'));
      expect((await tree.files()).map(f => f.path)).not.toContain('leak');
      const all = await reader().search(url('repos/**'));
      expect(all.files.map(f => f.url).join('\n')).not.toMatch(
        /leak|linked-repo|DB_PASSWORD/,
      );
      const inside = await reader().readUrl(
        url('repos/payments-api/docs/readme-link.md'),
      );
      expect((await inside.buffer()).toString()).toBe('# docs');
    });
  });

  describe('answers bad requests with client errors that reveal no server paths', () => {
    const failure = async (read: Promise<unknown>) => {
      const error: Error = await read.then(
        () => {
          throw new Error('expected a failure');
        },
        e => e,
      );
      expect(error.message).not.toContain(mockDir.path);
      expect(error.message).not.toMatch(/ENOTDIR|ENOENT|lstat|realpath/);
      return error;
    };

    it('refuses another host in a file URL instead of crashing', async () => {
      const error = await failure(reader().readTree('file://otherhost/x'));
      expect(error.name).toBe('NotAllowedError');
      expect(
        new LocalRepoUrlReader(mockDir.resolve('repos'), null as any).handles(
          new URL('file://otherhost/x'),
        ),
      ).toBe(false);
    });

    it('says "not a directory" for a tree under a file, naming the path inside the root', async () => {
      const error = await failure(
        reader().readTree(url('repos/payments-api/catalog-info.yaml/sub')),
      );
      expect(error.name).toBe('NotFoundError');
      expect(error.message).toBe(
        'payments-api/catalog-info.yaml/sub does not exist',
      );
      const notDir = await failure(
        reader().readTree(url('repos/payments-api/catalog-info.yaml')),
      );
      expect(notDir.message).toBe(
        'payments-api/catalog-info.yaml is not a directory',
      );
    });

    it('says which file is missing without the absolute path', async () => {
      const error = await failure(
        reader().readUrl(url('repos/payments-api/nope.yaml')),
      );
      expect(error.message).toBe('payments-api/nope.yaml does not exist');
    });
  });
});
