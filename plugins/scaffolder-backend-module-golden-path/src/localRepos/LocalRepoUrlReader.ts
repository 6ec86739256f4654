import {
  UrlReaderService,
  UrlReaderServiceReadTreeOptions,
  UrlReaderServiceReadTreeResponse,
  UrlReaderServiceReadUrlOptions,
  UrlReaderServiceReadUrlResponse,
  UrlReaderServiceSearchOptions,
  UrlReaderServiceSearchResponse,
} from '@backstage/backend-plugin-api';
import { ReadTreeResponseFactory } from '@backstage/backend-defaults/urlReader';
import {
  InputError,
  NotAllowedError,
  NotFoundError,
  NotModifiedError,
} from '@backstage/errors';
import { createReadStream, promises as fs } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { minimatch } from 'minimatch';

/**
 * Reads `file:` URLs that point inside one repository below the local publish root, so the catalog (and
 * fetch:plain) can read repositories published by golden-path:publish:local. Any other path on the backend's disk
 * stays unreadable: the root itself, `.git` folders, and symlinks whose real target leaves their repository.
 * Errors name the path relative to the root, never the server's absolute paths.
 */
export class LocalRepoUrlReader implements UrlReaderService {
  private readonly rootDirectory: string;

  constructor(
    rootDirectory: string,
    private readonly treeResponseFactory: ReadTreeResponseFactory,
  ) {
    this.rootDirectory = resolve(rootDirectory);
  }

  /** True for local `file:` URLs below the root directory (a cheap lexical check; reads check real paths). */
  handles(url: URL): boolean {
    if (url.protocol !== 'file:' || !isLocalHost(url.hostname)) {
      return false;
    }
    const path = resolve(fileURLToPath(url));
    return isStrictlyBelow(this.rootDirectory, path);
  }

  async readUrl(
    url: string,
    options?: UrlReaderServiceReadUrlOptions,
  ): Promise<UrlReaderServiceReadUrlResponse> {
    const { path, name } = await this.resolveInRepo(url);
    const stat = await fs.stat(path);
    if (!stat.isFile()) {
      throw new NotFoundError(`${name} is not a file`);
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
    const { path: dir, name } = await this.resolveInRepo(url);
    if (!(await fs.stat(dir)).isDirectory()) {
      throw new NotFoundError(`${name} is not a directory`);
    }
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
    const requested = this.lexicalPathOf(url);
    const globStart = requested.search(/[*?[{]/);
    let matches: string[];
    if (globStart === -1) {
      const found = await this.resolveInRepo(url).catch(error => {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      });
      const stat = found && (await fs.stat(found.path));
      matches = found && stat?.isFile() ? [found.path] : [];
    } else {
      // A glob may span repositories (repos/*/catalog-info.yaml): list real files only (symlinks are not files
      // to readdir) and drop anything under a .git folder.
      const base = requested.slice(0, requested.lastIndexOf(sep, globStart));
      const pattern = requested.slice(base.length + 1);
      const realBase = await fs.realpath(base).catch(() => undefined);
      const realRoot = await this.realRoot();
      const files =
        realBase &&
        (realBase === realRoot || isStrictlyBelow(realRoot, realBase))
          ? await listFiles(realBase).catch(() => [])
          : [];
      matches = files
        .map(file => join(realBase!, file))
        .filter(file => minimatch(relative(realBase!, file), pattern))
        .filter(file => isStrictlyBelow(realRoot, file))
        .filter(file => !underGit(relative(realRoot, file)))
        .filter(file => relative(realRoot, file).includes(sep));
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

  /** The URL's path as written, refused unless it is lexically below the root. */
  private lexicalPathOf(url: string): string {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new InputError(`Invalid URL ${JSON.stringify(url)}`);
    }
    if (!this.handles(parsed)) {
      throw new NotAllowedError(
        'Reading is not allowed: only files inside published repositories can be read',
      );
    }
    return resolve(fileURLToPath(parsed));
  }

  /**
   * The real path (symlinks resolved) of a URL inside one published repository, and its name relative to the
   * root for error messages. Refuses the root itself, `.git` and anything whose real path leaves the repository
   * the URL names.
   */
  private async resolveInRepo(
    url: string,
  ): Promise<{ path: string; name: string }> {
    const requested = this.lexicalPathOf(url);
    const name = relative(this.rootDirectory, requested).split(sep).join('/');
    if (underGit(name)) {
      throw new NotAllowedError(
        `Reading ${name} is not allowed: it is git's own data`,
      );
    }
    const realRoot = await this.realRoot();
    const repository = name.split('/')[0];
    const realRepo = await fs
      .realpath(join(this.rootDirectory, repository))
      .catch(() => undefined);
    const real = await fs.realpath(requested).catch(() => undefined);
    if (!realRepo || !real) {
      throw new NotFoundError(`${name} does not exist`);
    }
    const repoInsideRoot = isStrictlyBelow(realRoot, realRepo);
    const insideRepo = real === realRepo || isStrictlyBelow(realRepo, real);
    if (!repoInsideRoot || !insideRepo || underGit(relative(realRepo, real))) {
      throw new NotAllowedError(
        `Reading ${name} is not allowed: it links outside its repository`,
      );
    }
    return { path: real, name };
  }

  private async realRoot(): Promise<string> {
    return fs.realpath(this.rootDirectory).catch(() => this.rootDirectory);
  }
}

/** Lexical containment of two absolute, resolved paths: `path` is below `base` and not `base` itself. */
function isStrictlyBelow(base: string, path: string): boolean {
  const rel = relative(base, path);
  return (
    rel !== '' &&
    rel !== '..' &&
    !rel.startsWith(`..${sep}`) &&
    !isAbsolute(rel)
  );
}

/** `file://localhost/x` and `file:///x` name this machine; any other host is not ours to read. */
function isLocalHost(hostname: string): boolean {
  return hostname === '' || hostname === 'localhost';
}

/** True for `.git` and anything below it, at any depth (a repository's git data, or a nested one). */
function underGit(relativePath: string): boolean {
  return relativePath.split(/[\\/]/).includes('.git');
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
    .filter(file => !underGit(file))
    .sort();
}
