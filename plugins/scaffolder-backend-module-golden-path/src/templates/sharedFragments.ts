import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  PlaceholderResolver,
  PlaceholderResolverParams,
  catalogProcessingExtensionPoint,
  processingResult,
} from '@backstage/plugin-catalog-node';
import { readFile, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

// The golden-path templates share their form pages and publish/register steps through Backstage's own `$yaml` and
// `$text` placeholders (`$yaml: ../shared/parameters/service.yaml`). The catalog's built-in resolvers only resolve
// relative paths against URL locations; this repository registers its templates as `file` locations, where the
// built-in resolvers refuse relative paths. These resolvers take the same placeholders and, for file locations,
// read the file relative to the entity's file, confined to the entity's folder and its parent's folders (so
// templates/go-api/template.yaml may read templates/shared/…, nothing above templates/), after resolving symlinks.
// For URL locations they behave like the built-in ones: resolved through the SCM integrations, same repository only.

const URL_LIKE = /^[a-z][a-z0-9+.-]*:/i;

function fail(params: PlaceholderResolverParams, message: string): never {
  throw new Error(
    `Placeholder $${params.key} ${JSON.stringify(params.value)}: ${message}`,
  );
}

/** The repository part of an SCM URL (origin and the first two path segments: owner and repository). */
function repositoryOf(url: string): string {
  const { origin, pathname } = new URL(url);
  return `${origin}/${pathname
    .split('/')
    .filter(Boolean)
    .slice(0, 2)
    .join('/')}`;
}

async function readUrlLocation(
  params: PlaceholderResolverParams,
  value: string,
): Promise<string> {
  let url: string;
  try {
    url = params.resolveUrl(value, params.baseUrl);
  } catch (error) {
    return fail(
      params,
      `cannot be resolved against ${params.baseUrl}, ${error}`,
    );
  }
  if (repositoryOf(url) !== repositoryOf(params.baseUrl)) {
    fail(
      params,
      'may only reference files from the same repository as the entity',
    );
  }
  params.emit(processingResult.refresh(`url:${url}`));
  return (await params.read(url)).toString('utf8');
}

async function readFileLocation(
  params: PlaceholderResolverParams,
  value: string,
): Promise<string> {
  if (isAbsolute(value) || URL_LIKE.test(value)) {
    fail(params, 'must be a path relative to the file that uses it');
  }
  const base = await realpath(params.baseUrl);
  const root = dirname(dirname(base));
  let target: string;
  try {
    target = await realpath(resolve(dirname(base), value));
  } catch {
    return fail(params, `no such file next to ${params.baseUrl}`);
  }
  const inside = relative(root, target);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    fail(
      params,
      `resolves outside ${root}; a catalog file may only include files from its own folder and its parent's folders`,
    );
  }
  return readFile(target, 'utf8');
}

async function readText(params: PlaceholderResolverParams): Promise<string> {
  const { value, baseUrl } = params;
  if (typeof value !== 'string' || value === '') {
    fail(params, 'expected a relative path or a URL as text');
  }
  return URL_LIKE.test(baseUrl)
    ? readUrlLocation(params, value)
    : readFileLocation(params, value);
}

/** `$text`: the file's content as a string. */
export const textPlaceholderResolver: PlaceholderResolver = params =>
  readText(params);

/** `$yaml`: the file's one YAML document as JSON. */
export const yamlPlaceholderResolver: PlaceholderResolver = async params => {
  const documents = parseAllDocuments(await readText(params));
  if (documents.length !== 1) {
    fail(
      params,
      `expected exactly one YAML document, found ${documents.length}`,
    );
  }
  const [document] = documents;
  if (document.errors.length > 0) {
    fail(params, `invalid YAML, ${document.errors[0].message}`);
  }
  return document.toJSON();
};

/** Registers the `$yaml` and `$text` resolvers above in the catalog, in place of the built-in ones. */
export const templateFragmentsCatalogModule = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'golden-path-template-fragments',
  register({ registerInit }) {
    registerInit({
      deps: { catalog: catalogProcessingExtensionPoint },
      async init({ catalog }) {
        catalog.addPlaceholderResolver('yaml', yamlPlaceholderResolver);
        catalog.addPlaceholderResolver('text', textPlaceholderResolver);
      },
    });
  },
});
