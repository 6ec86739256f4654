// Reads a template folder the way the catalog would ingest it: template.yaml with its `$yaml`/`$text`/`$json`
// placeholders resolved by the catalog's own PlaceholderProcessor, then validated as a v1beta3 Template. Every
// file the template reads must sit inside its own folder tree: no `..`, no absolute or remote URL, no symlink out.
import { createRequire } from 'node:module';
import { lstatSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import YAML from 'yaml';

const require = createRequire(import.meta.url);
// The catalog's own PlaceholderProcessor and resolvers. The package exports the processor but not the resolvers its
// default processing uses, so both are loaded from the same file of the installed package.
const placeholderModule = join(
  dirname(require.resolve('@backstage/plugin-catalog-backend/package.json')),
  'dist/processors/PlaceholderProcessor.cjs.js',
);
const {
  PlaceholderProcessor,
  yamlPlaceholderResolver,
  jsonPlaceholderResolver,
  textPlaceholderResolver,
} =
  require(placeholderModule) as typeof import('@backstage/plugin-catalog-backend') &
    Record<string, any>;
const { ScmIntegrations } =
  require('@backstage/integration') as typeof import('@backstage/integration');
const { ConfigReader } =
  require('@backstage/config') as typeof import('@backstage/config');
const { templateEntityV1beta3Validator } =
  require('@backstage/plugin-scaffolder-common') as typeof import('@backstage/plugin-scaffolder-common');

export type TemplateEntity = {
  apiVersion: string;
  kind: 'Template';
  metadata: {
    name: string;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  spec: {
    parameters?: unknown;
    steps: Array<{
      id?: string;
      name?: string;
      action: string;
      input?: unknown;
      if?: unknown;
    }>;
    secrets?: { schema?: unknown };
    output?: unknown;
    [key: string]: unknown;
  };
};

export type LoadedTemplate = {
  dir: string;
  file: string;
  entity: TemplateEntity;
  /** Every file of the template folder, as the dry-run uploads them (paths relative to the folder). */
  files: Array<{ path: string; content: Buffer; executable?: boolean }>;
};

/** Throws when `path` (a file URL or path) is not a regular file inside `root` after resolving symlinks. */
export function insideFolder(root: string, path: string, what: string): string {
  const realRoot = realpathSync(root);
  const absolute = resolve(path);
  const rel = relative(resolve(root), absolute);
  if (rel.startsWith('..') || rel.startsWith(sep) || rel === '') {
    throw new Error(`${what} ${path} is outside ${root}`);
  }
  const real = realpathSync(absolute);
  const realRel = relative(realRoot, real);
  if (realRel.startsWith('..') || realRel.startsWith(sep)) {
    throw new Error(`${what} ${path} is a symlink out of ${root}`);
  }
  return real;
}

async function resolvePlaceholders(dir: string, file: string, entity: any) {
  const processor = new PlaceholderProcessor({
    resolvers: {
      yaml: yamlPlaceholderResolver,
      json: jsonPlaceholderResolver,
      text: textPlaceholderResolver,
    },
    // URL resolution exactly as the catalog does it; only the reader is ours, and it reads the template folder only.
    integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
    reader: {
      async readUrl(url: string) {
        if (!url.startsWith('file:')) {
          throw new Error(
            `only files inside the template folder can be read, not ${url}`,
          );
        }
        // The same rule as the portal's catalog (templateFragmentsCatalogModule in the golden-path module): a
        // template may include files from its own folder and its parent's, e.g. templates/shared/.
        const path = insideFolder(
          dirname(dir),
          fileURLToPath(url),
          'placeholder file',
        );
        const content = readFileSync(path);
        return { buffer: async () => content, etag: undefined } as any;
      },
      readTree: async () => {
        throw new Error('not supported');
      },
      search: async () => {
        throw new Error('not supported');
      },
    } as any,
  });
  return processor.preProcessEntity(
    entity,
    { type: 'url', target: pathToFileURL(file).toString() },
    () => {},
  );
}

function listFiles(
  root: string,
  dir = root,
): Array<{ path: string; content: Buffer; executable?: boolean }> {
  const files: Array<{ path: string; content: Buffer; executable?: boolean }> =
    [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === '.git') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      files.push(...listFiles(root, path));
    } else if (entry.isFile()) {
      files.push({
        path: relative(root, path),
        content: readFileSync(path),
        executable: (lstatSync(path).mode & 0o111) !== 0,
      });
    } else if (lstatSync(path).isSymbolicLink()) {
      // A skeleton symlink is uploaded as the file it points to, and only if that stays inside the folder.
      const real = insideFolder(root, path, 'skeleton file');
      files.push({ path: relative(root, path), content: readFileSync(real) });
    }
  }
  return files;
}

/** `target` is the template folder or its template.yaml. */
export async function loadTemplate(target: string): Promise<LoadedTemplate> {
  const isFile = target.endsWith('.yaml') || target.endsWith('.yml');
  const dir = resolve(isFile ? join(target, '..') : target);
  const file = isFile ? resolve(target) : join(dir, 'template.yaml');
  let raw: unknown;
  try {
    raw = YAML.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(
      `${file}: cannot read the template: ${(error as Error).message}`,
    );
  }
  const entity = (await resolvePlaceholders(dir, file, raw)) as TemplateEntity;
  try {
    await templateEntityV1beta3Validator.check(entity as any);
  } catch (error) {
    throw new Error(
      `${file}: not a valid scaffolder.backstage.io/v1beta3 Template: ${
        (error as Error).message
      }`,
    );
  }
  if (
    entity?.kind !== 'Template' ||
    entity.apiVersion !== 'scaffolder.backstage.io/v1beta3'
  ) {
    throw new Error(
      `${file}: expected kind Template, apiVersion scaffolder.backstage.io/v1beta3`,
    );
  }
  return { dir, file, entity, files: listFiles(dir) };
}
