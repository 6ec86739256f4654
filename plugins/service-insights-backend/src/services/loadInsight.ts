import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  GoldenPathPolicy,
  SERVICE_OWNER_FIELDS,
  SERVICE_SYSTEM_FIELDS,
  ServiceInsight,
  summarizeService,
} from '@golden-path/common';

// What summarizeService and the card read of a component, and of its owner, parents and system.
const COMPONENT_FIELDS = ['kind', 'metadata', 'spec'];
const RELATED_FIELDS = [
  ...new Set([...SERVICE_OWNER_FIELDS, ...SERVICE_SYSTEM_FIELDS]),
];
// summarizeService walks at most 32 parents; one round fetches one level, plus one for the owner and system.
const MAX_LOOKUP_ROUNDS = 40;

/**
 * Summarises one component straight from the catalog, read with the caller's credentials (so the catalog applies
 * their permissions): the component, then its owner and system, then one round per level of the owner's parent
 * chain. For a component the refresh has not stored yet, so its card works the moment it is registered.
 * Undefined when it does not exist or the caller may not see it.
 */
export async function loadInsight(
  options: {
    catalog: CatalogService;
    policy: GoldenPathPolicy;
    credentials: BackstageCredentials;
  },
  entityRef: string,
): Promise<ServiceInsight | undefined> {
  const { catalog, policy, credentials } = options;
  const fetch = async (refs: string[], fields: string[]) =>
    (
      await catalog.getEntitiesByRefs(
        { entityRefs: refs, fields },
        { credentials },
      )
    ).items;
  const [entity] = await fetch([entityRef], COMPONENT_FIELDS);
  if (!entity || entity.kind.toLocaleLowerCase('en-US') !== 'component') {
    return undefined;
  }
  const known = new Map<string, Entity | undefined>();
  for (let round = 0; round < MAX_LOOKUP_ROUNDS; round++) {
    const wanted = new Set<string>();
    const insight = summarizeService(entity, {
      policy,
      entitiesByRef: ref => {
        if (!known.has(ref)) {
          wanted.add(ref);
        }
        return known.get(ref);
      },
    });
    if (wanted.size === 0) {
      return insight;
    }
    const refs = [...wanted];
    const found = await fetch(refs, RELATED_FIELDS);
    refs.forEach(ref => known.set(ref, undefined));
    for (const item of found) {
      if (item) known.set(stringifyEntityRef(item), item);
    }
  }
  throw new Error(`Too many lookups while summarising ${entityRef}`);
}
