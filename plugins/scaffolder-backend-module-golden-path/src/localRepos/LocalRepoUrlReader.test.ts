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
      repos: {
        'payments-api': {
          'catalog-info.yaml': 'kind: Component\n',
          'docs/index.md': '# docs',
          '.git/config': '[core]',
        },
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

  it('says which URL is missing', async () => {
    await expect(
      reader().readUrl(url('repos/payments-api/nope.yaml')),
    ).rejects.toThrow(/nope.yaml does not exist/);
  });
});
