import {
  UrlReaderService,
  UrlReaderServiceReadTreeOptions,
  UrlReaderServiceReadTreeResponse,
  UrlReaderServiceReadUrlOptions,
  UrlReaderServiceReadUrlResponse,
  UrlReaderServiceSearchOptions,
  UrlReaderServiceSearchResponse,
  isChildPath,
} from '@backstage/backend-plugin-api';
import { ReadTreeResponseFactory } from '@backstage/backend-defaults/urlReader';
import { NotFoundError, NotModifiedError } from '@backstage/errors';
import { createReadStream, promises as fs } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { minimatch } from 'minimatch';

/**
 * Reads `file:` URLs that point inside the local publish root, so the catalog can ingest catalog-info.yaml from
 * repositories published by golden-path:publish:local. Any other path on the backend's disk stays unreadable.
 */
export class LocalRepoUrlReader implements UrlReaderService {
  constructor(
    private readonly rootDirectory: string,
    private readonly treeResponseFactory: ReadTreeResponseFactory,
  ) {}

  /** True for `file:` URLs inside the root directory. */
  handles(url: URL): boolean {
    if (url.protocol !== 'file:') {
      return false;
    }
    const path = fileURLToPath(url);
    return path !== this.rootDirectory && isChildPath(this.rootDirectory, path);
  }

  async readUrl(
    url: string,
    options?: UrlReaderServiceReadUrlOptions,
  ): Promise<UrlReaderServiceReadUrlResponse> {
    const path = this.pathOf(url);
    const stat = await fs.stat(path).catch(() => undefined);
    if (!stat?.isFile()) {
      throw new NotFoundError(`${url} does not exist`);
    }
    const etag = etagOf(stat);
    if (options?.etag === etag) {
      throw new NotModifiedError();
    }
    return {
      buffer: () => fs.readFile(path),
      stream: () => createReadStream(path),
      etag,
      lastModifiedAt: stat.mtime,
    };
  }

  async readTree(
    url: string,
    options?: UrlReaderServiceReadTreeOptions,
  ): Promise<UrlReaderServiceReadTreeResponse> {
    const dir = this.pathOf(url);
    const files = await Promise.all(
      (
        await listFiles(dir)
      ).map(async path => ({
        path,
        stat: await fs.stat(join(dir, path)),
      })),
    );
    const etag = files.map(f => `${f.path}:${etagOf(f.stat)}`).join('|');
    if (options?.etag === etag) {
      throw new NotModifiedError();
    }
    const kept = options?.filter
      ? files.filter(f => options.filter!(f.path, { size: f.stat.size }))
      : files;
    return this.treeResponseFactory.fromReadableArray(
      kept.map(f => ({
        path: f.path,
        data: createReadStream(join(dir, f.path)),
        lastModifiedAt: f.stat.mtime,
      })),
    );
  }

  /** Supports plain file URLs (what the catalog asks for) and glob patterns in the path. */
  async search(
    url: string,
    options?: UrlReaderServiceSearchOptions,
  ): Promise<UrlReaderServiceSearchResponse> {
    const path = this.pathOf(url);
    const globStart = path.search(/[*?[{]/);
    let matches: string[];
    if (globStart === -1) {
      const stat = await fs.stat(path).catch(() => undefined);
      matches = stat?.isFile() ? [path] : [];
    } else {
      const base = path.slice(0, path.lastIndexOf(sep, globStart));
      const pattern = path.slice(base.length + 1);
      const files = await listFiles(base).catch(() => []);
      matches = files
        .filter(file => minimatch(file, pattern))
        .map(file => join(base, file));
    }
    const stats = await Promise.all(matches.map(m => fs.stat(m)));
    const etag = stats.map(etagOf).join('|');
    if (options?.etag && options.etag === etag) {
      throw new NotModifiedError();
    }
    return {
      etag,
      files: matches.map((m, i) => ({
        url: pathToFileURL(m).toString(),
        content: () => fs.readFile(m),
        lastModifiedAt: stats[i].mtime,
      })),
    };
  }

  toString() {
    return `local-repos{root=${this.rootDirectory}}`;
  }

  private pathOf(url: string): string {
    const parsed = new URL(url);
    if (!this.handles(parsed)) {
      throw new NotFoundError(
        `${url} is outside the local publish root ${this.rootDirectory}`,
      );
    }
    return fileURLToPath(parsed);
  }
}

function etagOf(stat: { size: number; mtimeMs: number }): string {
  return `${stat.size}-${Math.floor(stat.mtimeMs)}`;
}

/** Relative paths of all files below `dir`, skipping the .git folder. */
async function listFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, {
    recursive: true,
    withFileTypes: true,
  });
  return entries
    .filter(e => e.isFile())
    .map(e => relative(dir, join(e.parentPath, e.name)))
    .filter(file => file !== '.git' && !file.startsWith(`.git${sep}`))
    .sort();
}
