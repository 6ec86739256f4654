import { Entity } from '@backstage/catalog-model';
import { exampleOrgEntities } from '@golden-path/common/testUtils';

// The example organisation of examples/*.yaml (read from those files, never retyped) plus a declared overlay of the
// scenarios these tests need and the demo org has no reason to hold: a squad below a team, a secret team and a
// secret component for the permission tests, a component whose catalog data tries CSV injection, a website owned by
// a user, and a component with template provenance.

/** The annotation the test permission policy hides entities by. */
export const SECRET_ANNOTATION = 'test/secret';

const secret = { [SECRET_ANNOTATION]: 'true' };

function group(
  name: string,
  displayName: string,
  parent: string,
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
      type: 'team',
      profile: { displayName, email: `${name}@example.com` },
      parent,
      children: [],
    },
  };
}

/** The four cost tags of the default policy, all valid. */
function tags(
  team: string,
  product: string,
  costCenter: string,
  environment: string,
): Record<string, string> {
  return {
    'golden-path.io/team': team,
    'golden-path.io/product': product,
    'golden-path.io/cost-center': costCenter,
    'golden-path.io/environment': environment,
  };
}

function component(
  name: string,
  spec: { type: string; lifecycle: string; owner: string; system?: string },
  labels: Record<string, string>,
  annotations: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      description: `The ${name} component.`,
      labels,
      annotations,
    },
    spec,
  };
}

const traced = (name: string) => ({ 'golden-path.io/otel-service-name': name });

/** What the tests add to examples/*.yaml; every entity here is one the demo org does not have. */
export const scenarioEntities: Entity[] = [
  // A squad below team-payments, with one service: parent chains and the team filter include child teams.
  group('squad-fraud', 'Fraud squad', 'team-payments'),
  component(
    'fraud-rules',
    {
      type: 'worker',
      lifecycle: 'experimental',
      owner: 'squad-fraud',
      system: 'checkout',
    },
    tags('team-payments', 'checkout', 'CC-1001', 'prod'),
    {
      'backstage.io/source-template': 'template:default/node-worker',
      'backstage.io/template-version': '1.2.0',
    },
  ),
  // The test permission policy hides these two from users named guest*: a whole team, and one component of a
  // visible team.
  group('team-secret', 'Secret team', 'engineering', secret),
  component(
    'vault-api',
    {
      type: 'service',
      lifecycle: 'production',
      owner: 'team-payments',
      system: 'checkout',
    },
    tags('team-payments', 'checkout', 'CC-1001', 'prod'),
    { ...traced('vault-api'), ...secret },
  ),
  // Visible to everyone, but owned by the team some users may not see.
  component(
    'stealth-api',
    { type: 'service', lifecycle: 'production', owner: 'team-secret' },
    tags('team-secret', 'stealth', 'CC-9001', 'prod'),
    traced('stealth-api'),
  ),
  // Catalog data that tries CSV injection: a formula lifecycle and a service name with a separator and quotes.
  component(
    'csv-probe',
    { type: 'service', lifecycle: '=1+2', owner: 'team-platform' },
    tags('team-platform', 'observability', 'CC-3001', 'dev'),
    traced('@probe, "quoted"'),
  ),
  // Owned by a user (examples' grace.hopper) rather than a group.
  component(
    'runbooks',
    { type: 'website', lifecycle: 'production', owner: 'user:grace.hopper' },
    tags('team-platform', 'runbooks', 'CC-3001', 'prod'),
    traced('runbooks'),
  ),
];

/** The org every backend suite runs against: examples/*.yaml, then the scenario overlay. */
export const exampleOrg: Entity[] = [
  ...exampleOrgEntities(),
  ...scenarioEntities,
];

/** The org after a tagging campaign that worked: ledger-api, of examples/*.yaml, gets its missing cost center. */
export function exampleOrgAfterTagging(): Entity[] {
  return exampleOrg.map(e =>
    e.metadata.name === 'ledger-api'
      ? {
          ...e,
          metadata: {
            ...e.metadata,
            labels: {
              ...e.metadata.labels,
              'golden-path.io/cost-center': 'CC-1001',
            },
          },
        }
      : e,
  );
}
