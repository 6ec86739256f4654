// The reference for the permission-parity tests: what a user's insights are when computed from the catalog with
// the user's own credentials (how this plugin worked before it kept its own tables). Slow on purpose: it reads
// the whole catalog per user.
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { byTitle, teamOf } from '../services/teamOption';
import {
  FilterOptionsResponse,
  GoldenPathPolicy,
  SERVICE_COMPONENT_FIELDS,
  SERVICE_OWNER_FIELDS,
  SERVICE_SYSTEM_FIELDS,
  ServiceInsight,
  summarizeService,
} from '@golden-path/common';

// Field projections: only what summarizeService and the filters read (the request contract's projections).
const COMPONENT_FIELDS = [...SERVICE_COMPONENT_FIELDS];
const GROUP_FIELDS = [...SERVICE_OWNER_FIELDS];
const SYSTEM_FIELDS = [...SERVICE_SYSTEM_FIELDS];
/** Owners, parents and systems fetched by ref can be of any of these kinds. */
const RELATED_FIELDS = [...new Set([...GROUP_FIELDS, ...SYSTEM_FIELDS])];

const PAGE_SIZE = 1000;
const REFS_PER_REQUEST = 500;

/** What one caller sees: every visible Component summarised, and every visible Group for the team filter. */
export interface InsightsView {
  insights: ServiceInsight[];
  teams: FilterOptionsResponse['teams'];
}

interface LoadOptions {
  catalog: CatalogService;
  policy: GoldenPathPolicy;
  credentials: BackstageCredentials;
}

/**
 * Reads the catalog with the caller's credentials: all Components, Groups and Systems with cursor paging and field
 * projection, then the Users that own components, by ref. Entities the caller may not see are absent, so their
 * components are left out and owners they may not see count as unresolved.
 */
export async function loadInsightsView(
  options: LoadOptions,
): Promise<InsightsView> {
  const { policy } = options;
  const [components, groups, systems] = await Promise.all([
    streamAll(options, 'component', COMPONENT_FIELDS),
    streamAll(options, 'group', GROUP_FIELDS),
    streamAll(options, 'system', SYSTEM_FIELDS),
  ]);
  const related = byRef([...groups, ...systems]);

  // First pass with groups and systems; components owned by users ask for refs not loaded yet.
  const wantedUsers = new Set<string>();
  const needsUsers: number[] = [];
  const insights = components.map((entity, index) =>
    summarizeService(entity, {
      policy,
      entitiesByRef: ref => {
        const found = related.get(ref);
        if (!found && ref.startsWith('user:')) {
          wantedUsers.add(ref);
          needsUsers.push(index);
        }
        return found;
      },
    }),
  );
  if (wantedUsers.size > 0) {
    for (const user of await fetchByRefs(options, [...wantedUsers])) {
      related.set(stringifyEntityRef(user), user);
    }
    for (const index of new Set(needsUsers)) {
      insights[index] = summarizeService(components[index], {
        policy,
        entitiesByRef: ref => related.get(ref),
      });
    }
  }

  return { insights, teams: groups.map(teamOf).sort(byTitle) };
}

async function streamAll(
  { catalog, credentials }: LoadOptions,
  kind: string,
  fields: string[],
): Promise<Entity[]> {
  const entities: Entity[] = [];
  for await (const page of catalog.streamEntities(
    { filter: { kind }, fields, pageSize: PAGE_SIZE, totalItems: 'exclude' },
    { credentials },
  )) {
    entities.push(...page);
  }
  return entities;
}

async function fetchByRefs(
  { catalog, credentials }: LoadOptions,
  entityRefs: string[],
  fields: string[] = RELATED_FIELDS,
): Promise<Entity[]> {
  const entities: Entity[] = [];
  for (let i = 0; i < entityRefs.length; i += REFS_PER_REQUEST) {
    const { items } = await catalog.getEntitiesByRefs(
      { entityRefs: entityRefs.slice(i, i + REFS_PER_REQUEST), fields },
      { credentials },
    );
    items.forEach(item => item && entities.push(item));
  }
  return entities;
}

function byRef(entities: Entity[]): Map<string, Entity> {
  return new Map(entities.map(entity => [stringifyEntityRef(entity), entity]));
}
