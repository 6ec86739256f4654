import { Entity } from '@backstage/catalog-model';

// An org shaped like examples/*.yaml: a department with teams (and one squad below a team), systems in a domain,
// components with complete, missing and invalid cost tags, one owned by a group that does not exist, and a few the
// test permission policy hides from some users (annotation `test/secret`).

/** The annotation the test permission policy hides entities by. */
export const SECRET_ANNOTATION = 'test/secret';

const secret = { [SECRET_ANNOTATION]: 'true' };

function group(
  name: string,
  displayName: string,
  parent?: string,
  annotations: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name,
      annotations: {
        'golden-path.io/chat-channel': `#${name}`,
        ...annotations,
      },
    },
    spec: {
      type: parent ? 'team' : 'department',
      profile: { displayName, email: `${name}@example.com` },
      ...(parent ? { parent } : {}),
      children: [],
    },
  };
}

function tags(
  team: string,
  product: string,
  costCenter?: string,
  environment?: string,
): Record<string, string> {
  return {
    'golden-path.io/team': team,
    'golden-path.io/product': product,
    ...(costCenter ? { 'golden-path.io/cost-center': costCenter } : {}),
    ...(environment ? { 'golden-path.io/environment': environment } : {}),
  };
}

function component(
  name: string,
  spec: { type: string; lifecycle: string; owner: string; system?: string },
  labels: Record<string, string>,
  options: { traced?: boolean; annotations?: Record<string, string> } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      description: `The ${name} component.`,
      labels,
      annotations: {
        ...(options.traced ? { 'golden-path.io/otel-service-name': name } : {}),
        ...options.annotations,
      },
    },
    spec,
  };
}

export const exampleOrg: Entity[] = [
  group('engineering', 'Engineering'),
  group('team-payments', 'Payments', 'engineering'),
  group('squad-fraud', 'Fraud squad', 'team-payments'),
  group('team-search', 'Search', 'engineering'),
  group('team-platform', 'Platform', 'engineering'),
  group('team-secret', 'Secret team', 'engineering', secret),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'grace.hopper' },
    spec: {
      profile: { displayName: 'Grace Hopper', email: 'grace@example.com' },
      memberOf: ['team-payments'],
    },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Domain',
    metadata: { name: 'commerce' },
    spec: { owner: 'group:engineering' },
  },
  ...['checkout', 'discovery'].map(name => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name },
    spec: { owner: 'group:engineering', domain: 'commerce' },
  })),

  // team-payments: 2 of 3 fully tagged, 3 of 3 traced (plus a secret one).
  component(
    'payments-api',
    {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:team-payments',
      system: 'checkout',
    },
    tags('payments', 'checkout', 'CC-1001', 'prod'),
    {
      traced: true,
      annotations: {
        'backstage.io/source-template': 'template:default/go-api',
        'backstage.io/template-version': '1.2.0',
      },
    },
  ),
  component(
    'checkout-worker',
    {
      type: 'worker',
      lifecycle: 'production',
      owner: 'team-payments',
      system: 'checkout',
    },
    tags('payments', 'checkout', 'CC-1001', 'prod'),
    { traced: true },
  ),
  component(
    'ledger-api',
    {
      type: 'service',
      lifecycle: 'production',
      owner: 'team-payments',
      system: 'checkout',
    },
    tags('payments', 'checkout', undefined, 'prod'),
    { traced: true },
  ),
  component(
    'vault-api',
    {
      type: 'service',
      lifecycle: 'production',
      owner: 'team-payments',
      system: 'checkout',
    },
    tags('payments', 'checkout', 'CC-1001', 'prod'),
    { traced: true, annotations: secret },
  ),
  // squad-fraud, below team-payments: invalid cost center, not traced.
  component(
    'fraud-scorer',
    {
      type: 'worker',
      lifecycle: 'experimental',
      owner: 'squad-fraud',
      system: 'checkout',
    },
    tags('payments', 'checkout', '1001', 'prod'),
  ),
  // team-search: 2 of 3 fully tagged, 2 of 3 traced.
  component(
    'search-api',
    {
      type: 'service',
      lifecycle: 'production',
      owner: 'team-search',
      system: 'discovery',
    },
    tags('search', 'discovery', 'CC-2001', 'prod'),
    { traced: true },
  ),
  component(
    'indexer-worker',
    {
      type: 'worker',
      lifecycle: 'production',
      owner: 'team-search',
      system: 'discovery',
    },
    tags('search', 'discovery', 'CC-2001', 'staging'),
  ),
  component(
    'recommendations-api',
    {
      type: 'service',
      lifecycle: 'experimental',
      owner: 'team-search',
      system: 'discovery',
    },
    {
      'golden-path.io/team': 'search',
      'golden-path.io/cost-center': 'CC-2002',
    },
    { traced: true },
  ),
  // team-platform: a website owned by a user, and a component whose catalog data tries CSV injection.
  component(
    'developer-portal',
    { type: 'website', lifecycle: 'production', owner: 'user:grace.hopper' },
    tags('platform', 'developer-portal', 'CC-3001', 'prod'),
    { traced: true },
  ),
  component(
    'csv-probe',
    { type: 'service', lifecycle: '=1+2', owner: 'team-platform' },
    tags('platform', 'observability', 'CC-3001', 'dev'),
    {
      annotations: {
        'golden-path.io/otel-service-name': '@probe, "quoted"',
      },
    },
  ),
  // Owned by a group that does not exist; no cost tags.
  component(
    'legacy-reports',
    { type: 'service', lifecycle: 'deprecated', owner: 'group:team-legacy' },
    {},
  ),
  // Visible to everyone, but owned by a group some users may not see.
  component(
    'stealth-api',
    { type: 'service', lifecycle: 'production', owner: 'team-secret' },
    tags('secret', 'stealth', 'CC-9001', 'prod'),
    { traced: true },
  ),
];
