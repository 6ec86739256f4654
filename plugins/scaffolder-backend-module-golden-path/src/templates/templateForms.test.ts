import {
  DEFAULT_GOLDEN_PATH_POLICY,
  componentNameProblem,
  secretNameProblem,
  sharedTemplatePages,
} from '@golden-path/common';
import { JsonObject, JsonValue } from '@backstage/config';
import { Validator } from 'jsonschema';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { yamlPlaceholderResolver } from './sharedFragments';

// The shared form pages are generated from the policy (templateForm.ts in @golden-path/common). This test fails when
// templates/shared/parameters/ is out of step with it; to rewrite the files:
//   GOLDEN_PATH_WRITE_TEMPLATE_PAGES=1 yarn workspace @golden-path/plugin-scaffolder-backend-module-golden-path test src/templates/templateForms.test.ts
// Then it renders each template as the catalog does ($yaml resolved) and checks that its form accepts and refuses
// the same names, cost tags and secret names as the golden-path actions.

const repoRoot = resolve(__dirname, '../../../..');
const sharedDir = join(repoRoot, 'templates/shared/parameters');
const TEMPLATES = ['go-api', 'java-api', 'node-worker'];
const HEADER =
  '# Generated from the golden-path policy by @golden-path/common templateForm.ts; do not edit by hand.\n' +
  '# Regenerate: see plugins/scaffolder-backend-module-golden-path/src/templates/templateForms.test.ts.\n';

const FILES: Record<string, keyof ReturnType<typeof sharedTemplatePages>> = {
  'service.yaml': 'service',
  'cost-tags.yaml': 'costTags',
  'secrets.yaml': 'secrets',
};

/** Resolves `$yaml` placeholders the way the catalog's PlaceholderProcessor walks an entity. */
async function resolvePlaceholders(
  data: JsonValue,
  baseUrl: string,
): Promise<JsonValue> {
  if (Array.isArray(data)) {
    return Promise.all(data.map(item => resolvePlaceholders(item, baseUrl)));
  }
  if (data === null || typeof data !== 'object') return data;
  const keys = Object.keys(data);
  if (keys.length === 1 && keys[0] === '$yaml') {
    return yamlPlaceholderResolver({
      key: 'yaml',
      value: data.$yaml!,
      baseUrl,
      read: jest.fn(),
      resolveUrl: jest.fn(),
      emit: jest.fn(),
    });
  }
  const entries = await Promise.all(
    Object.entries(data).map(
      async ([key, value]) =>
        [key, await resolvePlaceholders(value!, baseUrl)] as const,
    ),
  );
  return Object.fromEntries(entries);
}

async function resolvedTemplate(name: string): Promise<JsonObject> {
  const path = join(repoRoot, 'templates', name, 'template.yaml');
  return (await resolvePlaceholders(
    parse(readFileSync(path, 'utf8')),
    path,
  )) as JsonObject;
}

describe('templates/shared/parameters', () => {
  const pages = sharedTemplatePages(DEFAULT_GOLDEN_PATH_POLICY);

  it.each(Object.entries(FILES))(
    '%s is generated from the policy',
    (file, page) => {
      const path = join(sharedDir, file);
      const expected = HEADER + stringify(pages[page], { lineWidth: 0 });
      if (process.env.GOLDEN_PATH_WRITE_TEMPLATE_PAGES) {
        writeFileSync(path, expected);
      }
      expect(readFileSync(path, 'utf8')).toBe(expected);
    },
  );
});

describe.each(TEMPLATES)('the %s form', template => {
  let steps: JsonObject[];
  beforeAll(async () => {
    const spec = (await resolvedTemplate(template)).spec as JsonObject;
    steps = spec.parameters as JsonObject[];
  });

  /** Whether the form accepts these values on every page, as the scaffolder validates them at task creation. */
  const accepts = (values: JsonObject) =>
    steps.every(step => new Validator().validate(values, step as object).valid);
  const base = {
    name: 'payments-api',
    description: 'Pays',
    owner: 'group:default/team-payments',
    system: 'system:default/checkout',
    costTags: {
      team: 'team-payments',
      'cost-center': 'CC-1001',
      environment: 'prod',
      product: 'checkout',
    },
    secrets: ['DB_PASSWORD'],
    publishTarget: 'local',
  };

  it('includes every shared page', () => {
    expect(steps.map(step => step.title)).toEqual([
      'Service',
      'Cost tags',
      'Secrets',
      'Repository',
    ]);
    expect(accepts(base)).toBe(true);
  });

  it.each([
    'a',
    'ab',
    'a1',
    'a-b',
    'payments-api',
    'x'.repeat(63),
    'x'.repeat(64),
    'a--b',
    '-a',
    'a-',
    '1a',
    'A',
    'Payments',
    'a_b',
    'a.b',
    'a/b',
    '',
  ])('refuses the name %j exactly when the actions do', name => {
    expect(accepts({ ...base, name })).toBe(
      componentNameProblem(name) === undefined,
    );
  });

  it.each([
    'DB_PASSWORD',
    'A',
    'A1_B',
    'X'.repeat(63),
    'X'.repeat(64),
    'db_password',
    '1A',
    '_A',
    'A-B',
    'A B',
    '',
  ])('refuses the secret name %j exactly when the actions do', secret => {
    expect(accepts({ ...base, secrets: [secret] })).toBe(
      secretNameProblem(secret) === undefined,
    );
  });

  // Cost-tag values are refused by the page's CostTags field, which runs validateCostTags (what the actions run)
  // against the live policy (CostTagsField.test.tsx); the schema requires the policy's tags and refuses nothing more.
  it('checks cost tags with the policy through the CostTags field', () => {
    const costTags = (steps[1].properties as JsonObject).costTags as JsonObject;
    expect(costTags['ui:field']).toBe('CostTags');
    expect(costTags.required).toEqual(
      DEFAULT_GOLDEN_PATH_POLICY.costTags.tags
        .filter(tag => tag.required)
        .map(tag => tag.name),
    );
  });

  it.each([
    {},
    { 'cost-center': '1001' },
    { environment: 'production' },
    { team: 'team payments' },
    { team: 'x'.repeat(64) },
    { product: 'a' },
  ] as Record<string, string>[])(
    'leaves the value check of the cost tags %j to the policy (field and actions)',
    change => {
      const costTags = { ...base.costTags, ...change };
      expect(accepts({ ...base, costTags })).toBe(true);
    },
  );

  it('refuses missing cost tags as the actions do', () => {
    const { product: _, ...costTags } = base.costTags;
    expect(accepts({ ...base, costTags })).toBe(false);
  });
});
