import {
  resolvePackagePath,
  DatabaseService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { ServiceInsight } from '@golden-path/common';
import { Knex } from 'knex';

/** The kinds the insights are built from: the components, and what their owner chain and system resolve to. */
export const SOURCE_KINDS = ['component', 'group', 'user', 'system'];

/** The cost tags with a column of their own (filters, sorting, roll-ups). */
export const COST_CENTER_TAG = 'cost-center';
export const ENVIRONMENT_TAG = 'environment';

// Lists are sent in chunks well below SQLite's and PostgreSQL's limits on bound parameters.
export const CHUNK = 500;

export interface ServiceRowRecord {
  ref: string;
  insight: string;
  name: string;
  name_key: string;
  type: string | null;
  type_key: string | null;
  lifecycle: string | null;
  lifecycle_key: string | null;
  owner_ref: string;
  owner_key: string;
  owner_resolved: boolean;
  owner_display: string | null;
  owner_display_key: string | null;
  system_ref: string | null;
  system_key: string | null;
  cost_center: string | null;
  cost_center_key: string | null;
  environment: string | null;
  environment_key: string | null;
  compliance: string;
  traced: boolean;
  search_text: string;
}

export interface ChainRecord {
  service_ref: string;
  depth: number;
  group_ref: string;
  group_key: string;
}

const lower = (value: string | undefined | null) =>
  value === undefined || value === null
    ? null
    : value.toLocaleLowerCase('en-US');

export function costTagValue(
  insight: ServiceInsight,
  tag: string,
): string | undefined {
  return insight.costTags.find(finding => finding.tag === tag)?.value;
}

/** The row of one service: the insight as JSON, plus the columns queries run on (lowercased `_key` columns). */
export function serviceRecord(insight: ServiceInsight): ServiceRowRecord {
  const { owner } = insight;
  const costCenter = costTagValue(insight, COST_CENTER_TAG) ?? null;
  const environment = costTagValue(insight, ENVIRONMENT_TAG) ?? null;
  return {
    ref: insight.entityRef,
    insight: JSON.stringify(insight),
    name: insight.name,
    name_key: lower(insight.name)!,
    type: insight.type ?? null,
    type_key: lower(insight.type),
    lifecycle: insight.lifecycle ?? null,
    lifecycle_key: lower(insight.lifecycle),
    owner_ref: owner.ref,
    // What the dashboard shows for the owner: its display name, else its ref.
    owner_key: lower(owner.displayName ?? owner.ref)!,
    owner_resolved: owner.resolved,
    owner_display: owner.displayName ?? null,
    owner_display_key: lower(owner.displayName),
    system_ref: insight.system ?? null,
    system_key: lower(insight.system),
    cost_center: costCenter,
    cost_center_key: lower(costCenter),
    environment,
    environment_key: lower(environment),
    compliance: insight.compliance,
    traced: insight.tracing.serviceName !== undefined,
    search_text: [
      insight.name,
      insight.title,
      insight.description,
      owner.ref,
      insight.system,
    ]
      .filter(Boolean)
      .join('\n')
      .toLocaleLowerCase('en-US'),
  };
}

/** Every ref the owner chain looked up: the owner at depth 0, then each parent. */
export function chainRecords(insight: ServiceInsight): ChainRecord[] {
  const refs = [insight.owner.ref, ...insight.owner.parents.map(p => p.ref)];
  return refs
    .filter(ref => ref !== '')
    .map((ref, depth) => ({
      service_ref: insight.entityRef,
      depth,
      group_ref: ref,
      group_key: ref.toLocaleLowerCase('en-US'),
    }));
}

export function parseEntity(json: string): Entity {
  return JSON.parse(json) as Entity;
}

/** The plugin's database, migrated. */
export async function migratedClient(database: DatabaseService): Promise<Knex> {
  const knex = await database.getClient();
  if (!database.migrations?.skip) {
    await knex.migrate.latest({
      directory: resolvePackagePath(
        '@golden-path/plugin-service-insights-backend',
        'migrations',
      ),
    });
  }
  return knex;
}

/**
 * Runs `fn` over `items` in chunks of {@link CHUNK}, letting the event loop run between chunks. With SQLite every
 * query runs synchronously and its promise is settled at once, so a long chain of awaits would otherwise keep the
 * backend from answering any request until a large refresh is over.
 */
export async function inChunks<T>(
  items: T[],
  fn: (chunk: T[]) => Promise<unknown>,
  size = CHUNK,
): Promise<void> {
  for (let i = 0; i < items.length; i += size) {
    await fn(items.slice(i, i + size));
    await new Promise(resolve => setImmediate(resolve));
  }
}
