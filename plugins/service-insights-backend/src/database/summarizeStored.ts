import { Entity } from '@backstage/catalog-model';
import {
  GoldenPathPolicy,
  ServiceInsight,
  summarizeService,
} from '@golden-path/common';
import { Knex } from 'knex';
import { inChunks, parseEntity } from './tables';

// summarizeService walks at most 32 parents; one round fetches one level, plus one for the owner and system.
const MAX_LOOKUP_ROUNDS = 40;

export interface SummarizeStoredOptions {
  knex: Knex;
  policy: GoldenPathPolicy;
  /** Related entities already loaded (or known to be absent: undefined); filled as it goes. */
  known?: Map<string, Entity | undefined>;
  /** Narrows which stored entities count as existing, e.g. to what a user may read. */
  restrict?: (query: Knex.QueryBuilder, refColumn: string) => void;
}

/**
 * Summarises components with `summarizeService`, looking up owners, parents and systems in the stored entities:
 * one query per level of the owner chains, for all components at once.
 */
export async function summarizeStored(
  components: Entity[],
  options: SummarizeStoredOptions,
): Promise<ServiceInsight[]> {
  const { knex, policy, restrict } = options;
  const known = options.known ?? new Map<string, Entity | undefined>();
  for (let round = 0; round < MAX_LOOKUP_ROUNDS; round++) {
    const wanted = new Set<string>();
    const insights = components.map(entity =>
      summarizeService(entity, {
        policy,
        entitiesByRef: ref => {
          if (!known.has(ref)) {
            wanted.add(ref);
          }
          return known.get(ref);
        },
      }),
    );
    if (wanted.size === 0) {
      return insights;
    }
    const refs = [...wanted];
    refs.forEach(ref => known.set(ref, undefined));
    await inChunks(refs, async chunk => {
      const query = knex('si_entities')
        .select('si_entities.ref', 'si_entities.entity')
        .whereIn('si_entities.ref', chunk);
      restrict?.(query, 'si_entities.ref');
      for (const row of await query) {
        known.set(row.ref, parseEntity(row.entity));
      }
    });
  }
  throw new Error('Too many lookups while summarising components');
}
