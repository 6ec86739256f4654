import { bumpGeneration } from './sharedViews';
import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { GoldenPathPolicy } from '@golden-path/common';
import { createHash } from 'node:crypto';
import { Knex } from 'knex';
import { entitySearchRows } from './entitySearch';
import { summarizeStored } from './summarizeStored';
import {
  SOURCE_KINDS,
  chainRecords,
  inChunks,
  parseEntity,
  serviceRecord,
} from './tables';

export interface RefreshOptions {
  knex: Knex;
  catalog: CatalogService;
  /** The plugin's own credentials: the stored insights are what the catalog shows this plugin. */
  credentials: BackstageCredentials;
  policy: GoldenPathPolicy;
  logger: LoggerService;
}

/** What one refresh did. */
export interface RefreshStats {
  /** Entities in the catalog of the kinds the insights are built from. */
  listed: number;
  /** Entities fetched in full because they are new or their etag changed. */
  fetched: number;
  deleted: number;
  /** Services summarised again: changed components and those whose owner chain or system changed. */
  recomputed: number;
  full: boolean;
  durationMs: number;
  /** Where the time went, in ms: listing the catalog's etags, comparing them with the stored ones, fetching what
   * changed, storing it, summarising the affected services, and the bookkeeping after. */
  phases: Record<
    'list' | 'compare' | 'fetch' | 'store' | 'summarize' | 'finish',
    number
  >;
}

const LIST_PAGE_SIZE = 1000;
/** si_meta key of the digest of the last listing a refresh applied in full. */
const LISTING_KEY = 'listing';
const FETCH_CHUNK = 200;
// The etag says whether anything of an entity changed; the stored form keeps what the catalog's permission rules
// can look at (metadata, spec, relations).
const ENTITY_FIELDS = ['kind', 'metadata', 'spec', 'relations'];
const LIST_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.etag',
];

/**
 * Brings the stored insights up to date with the catalog.
 *
 * The catalog API of Backstage 1.55 has no "changed since" query: entities carry no timestamp, etags are hashes,
 * and the catalog publishes no entity-change events. So each refresh lists kind, name, namespace and etag of every
 * Component, Group, User and System (a cheap projection, cursor-paged) and compares the etags with the stored ones;
 * everything after that is proportional to what changed: only new or changed entities are fetched in full, deleted
 * ones are removed, and only the services they affect are summarised again: changed components, services whose
 * owner chain passes through a changed or deleted Group or User (found through si_owner_chain, which also records
 * refs that did not resolve, so a newly created group fixes its services), and services of a changed System.
 * When the listing's digest equals that of the last refresh that applied everything it listed, nothing changed and
 * the stored etags are not even read.
 *
 * `full` (or a changed golden-path policy) summarises every service again.
 */
export async function refreshInsights(
  options: RefreshOptions,
  { full: forceFull = false }: { full?: boolean } = {},
): Promise<RefreshStats> {
  const { knex, catalog, credentials, policy, logger } = options;
  const started = Date.now();
  let phaseStarted = performance.now();
  const phases = {} as RefreshStats['phases'];
  const endPhase = (phase: keyof RefreshStats['phases']) => {
    const now = performance.now();
    phases[phase] = Math.round(now - phaseStarted);
    phaseStarted = now;
  };
  const fingerprint = policyFingerprint(policy);
  const stored = await knex('si_meta').where({ key: 'policy' }).first();
  const full = forceFull || stored?.value !== fingerprint;

  // 1. What the catalog holds now, and what changed.
  const listed = new Map<string, string>();
  const listing = createHash('sha256');
  for await (const page of catalog.streamEntities(
    {
      filter: { kind: SOURCE_KINDS },
      fields: LIST_FIELDS,
      pageSize: LIST_PAGE_SIZE,
      totalItems: 'exclude',
    } as Parameters<CatalogService['streamEntities']>[0],
    { credentials },
  )) {
    for (const entity of page) {
      const ref = stringifyEntityRef(entity);
      const etag = entity.metadata.etag ?? '';
      listed.set(ref, etag);
      listing.update(`${ref} ${etag}\n`);
    }
  }
  const listingDigest = listing.digest('hex');
  endPhase('list');
  // The same listing as the last refresh that applied all of it, and as many stored entities: nothing changed, and
  // reading every stored etag (the largest fixed cost after the listing) is not needed.
  const unchanged =
    !full &&
    (await knex('si_meta').where({ key: LISTING_KEY }).first())?.value ===
      listingDigest &&
    Number((await knex('si_entities').count({ n: '*' }).first())?.n ?? -1) ===
      listed.size;
  const known = unchanged ? listed : new Map<string, string>();
  if (!unchanged) {
    for (const row of await knex('si_entities').select('ref', 'etag')) {
      known.set(row.ref, row.etag);
    }
  }
  const changed = [...listed]
    .filter(([ref, etag]) => known.get(ref) !== etag || etag === '')
    .map(([ref]) => ref);
  const deleted = [...known.keys()].filter(ref => !listed.has(ref));

  endPhase('compare');

  // 2. Fetch what changed, in full; an entity gone in between counts as deleted.
  const changedEntities: Entity[] = [];
  let vanished = 0;
  await inChunks(
    changed,
    async chunk => {
      const { items } = await catalog.getEntitiesByRefs(
        { entityRefs: chunk, fields: ENTITY_FIELDS },
        { credentials },
      );
      items.forEach((item, index) => {
        if (item) {
          changedEntities.push({
            ...item,
            metadata: { ...item.metadata, etag: listed.get(chunk[index]) },
          });
        } else {
          deleted.push(chunk[index]);
          vanished++;
        }
      });
    },
    FETCH_CHUNK,
  );
  endPhase('fetch');
  const changedRefs = changedEntities.map(e => stringifyEntityRef(e));
  const isComponent = (ref: string) => ref.startsWith('component:');

  // 3. Services to summarise again, decided before the rows they are found through change.
  const affected = new Set<string>(changedRefs.filter(isComponent));
  const related = [...changedRefs, ...deleted].filter(r => !isComponent(r));
  await inChunks(related, async chunk => {
    const viaChain = await knex('si_owner_chain')
      .distinct('service_ref')
      .whereIn('group_ref', chunk);
    viaChain.forEach(row => affected.add(row.service_ref));
    const viaSystem = await knex('si_services')
      .select('ref')
      .whereIn('system_ref', chunk);
    viaSystem.forEach(row => affected.add(row.ref));
  });

  // 4. Store the changed entities and their search rows; remove the deleted ones.
  await inChunks(
    changedEntities,
    async chunk => {
      const refs = chunk.map(e => stringifyEntityRef(e));
      await knex.transaction(async tx => {
        await tx('si_search').whereIn('ref', refs).delete();
        await tx('si_entities')
          .insert(
            chunk.map((entity, i) => ({
              ref: refs[i],
              kind: entity.kind.toLocaleLowerCase('en-US'),
              etag: entity.metadata.etag ?? '',
              entity: JSON.stringify(entity),
            })),
          )
          .onConflict('ref')
          .merge();
        const searchRows = chunk.flatMap((entity, i) =>
          entitySearchRows(entity).map(row => ({ ref: refs[i], ...row })),
        );
        await inChunks(searchRows, rows => tx('si_search').insert(rows));
      });
    },
    100,
  );
  await inChunks(deleted, async chunk => {
    await knex.transaction(async tx => {
      await tx('si_search').whereIn('ref', chunk).delete();
      await tx('si_entities').whereIn('ref', chunk).delete();
      await tx('si_owner_chain').whereIn('service_ref', chunk).delete();
      await tx('si_services').whereIn('ref', chunk).delete();
    });
  });

  endPhase('store');

  // 5. Summarise the affected services (all of them when full) from the stored entities.
  let toRecompute: string[];
  if (full) {
    toRecompute = (
      await knex('si_entities').select('ref').where({ kind: 'component' })
    ).map(row => row.ref);
  } else {
    const gone = new Set(deleted);
    toRecompute = [...affected].filter(ref => !gone.has(ref));
  }
  const relatedCache = new Map<string, Entity | undefined>();
  await inChunks(
    toRecompute,
    async chunk => {
      const rows = await knex('si_entities')
        .select('ref', 'entity')
        .whereIn('ref', chunk)
        .where({ kind: 'component' });
      const insights = await summarizeStored(
        rows.map(row => parseEntity(row.entity)),
        { knex, policy, known: relatedCache },
      );
      const refs = insights.map(i => i.entityRef);
      await knex.transaction(async tx => {
        await tx('si_owner_chain').whereIn('service_ref', refs).delete();
        await tx('si_services')
          .insert(insights.map(serviceRecord))
          .onConflict('ref')
          .merge();
        await inChunks(insights.flatMap(chainRecords), chainChunk =>
          tx('si_owner_chain').insert(chainChunk),
        );
      });
    },
    200,
  );

  endPhase('summarize');

  if (full) {
    await knex('si_meta')
      .insert({ key: 'policy', value: fingerprint })
      .onConflict('key')
      .merge();
  }
  // What this refresh applied, unless part of the listing could not be (an entity listed but gone when fetched, or
  // one without an etag): the next refresh compares those again.
  if (!unchanged && vanished === 0 && !changed.some(ref => !listed.get(ref))) {
    await knex('si_meta')
      .insert({ key: LISTING_KEY, value: listingDigest })
      .onConflict('key')
      .merge();
  }
  if (full || changedEntities.length > 0 || deleted.length > 0) {
    // Views shared by all callers (roll-ups, filter options) were computed from the old rows.
    await bumpGeneration(knex);
  }
  endPhase('finish');
  const stats: RefreshStats = {
    listed: listed.size,
    fetched: changedEntities.length,
    deleted: deleted.length,
    recomputed: toRecompute.length,
    full,
    durationMs: Date.now() - started,
    phases,
  };
  logger.info(
    `Refreshed service insights: ${stats.listed} entities listed, ${
      stats.fetched
    } fetched, ${stats.deleted} deleted, ${
      stats.recomputed
    } services summarised${stats.full ? ' (full)' : ''} in ${
      stats.durationMs
    } ms (${Object.entries(phases)
      .map(([phase, ms]) => `${phase} ${ms}`)
      .join(', ')})`,
  );
  return stats;
}

/** Insights depend on the policy (cost tags, tracing backends): a different policy means every row is stale. */
function policyFingerprint(policy: GoldenPathPolicy): string {
  return createHash('sha256').update(JSON.stringify(policy)).digest('hex');
}
