import { CacheService } from '@backstage/backend-plugin-api';
import { JsonValue } from '@backstage/types';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';

/**
 * Views that are the same for every caller whose catalog read decision is an unconditional allow (the roll-ups and
 * the filter options over all stored services), kept in Backstage's cache service (memory, or Redis shared by all
 * replicas) so that they are aggregated once per change of the data rather than once per request.
 *
 * Correctness comes from the key, not from expiry: every key carries the data generation, which each refresh that
 * changed a row writes to the plugin's database (`si_meta`), so every replica sees a new generation as soon as the
 * new rows are committed and stops using older entries. The TTL only bounds how long unused entries take memory.
 */
export interface SharedViews {
  get<T extends JsonValue>(
    view: string,
    parameters: JsonValue,
    compute: () => Promise<T>,
  ): Promise<T>;
}

const GENERATION_KEY = 'generation';
const TTL_MS = 5 * 60_000;

/** Marks the stored rows as changed: shared views computed before are not used any more. */
export async function bumpGeneration(knex: Knex | Knex.Transaction) {
  await knex('si_meta')
    .insert({ key: GENERATION_KEY, value: randomUUID() })
    .onConflict('key')
    .merge();
}

export function createSharedViews(options: {
  knex: Knex;
  cache: CacheService;
}): SharedViews {
  const { knex, cache } = options;
  return {
    async get(view, parameters, compute) {
      const row = await knex('si_meta').where({ key: GENERATION_KEY }).first();
      // Before the first refresh there is nothing worth keeping.
      if (!row) return compute();
      const key = `${view}:${row.value}:${JSON.stringify(parameters)}`;
      const cached = await cache.get(key);
      if (cached !== undefined) return cached as any;
      const value = await compute();
      await cache.set(key, value, { ttl: TTL_MS });
      return value;
    },
  };
}
