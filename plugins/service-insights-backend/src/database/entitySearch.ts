import { DEFAULT_NAMESPACE, Entity } from '@backstage/catalog-model';

/** One row of an entity's flattened form: lowercase key, lowercase value (null when absent or too long). */
export interface SearchRow {
  key: string;
  value: string | null;
}

// The catalog's own rules (plugin-catalog-backend 4.0, `buildEntitySearch`), which its permission conditions are
// evaluated against: they must be reproduced exactly, or a condition would mean something else here than there.
const SPECIAL_KEYS = [
  'attachments',
  'relations',
  'status',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'metadata.etag',
];
const MAX_KEY_LENGTH = 200;
const MAX_VALUE_LENGTH = 200;

/**
 * Flattens an entity as the catalog does for its search table: every scalar under its dotted path, array items
 * under the array's path plus `path.item = true` for string items, `relations.<type>` = target ref, lowercased,
 * de-duplicated.
 */
export function entitySearchRows(entity: Entity): SearchRow[] {
  const raw: Array<{ key: string; value: unknown }> = [];
  const seenPathKeys = new Set<string>();
  const visit = (path: string, current: unknown) => {
    if (SPECIAL_KEYS.includes(path)) {
      return;
    }
    if (
      current === undefined ||
      current === null ||
      ['string', 'number', 'boolean'].includes(typeof current)
    ) {
      raw.push({ key: path, value: current });
      return;
    }
    if (typeof current !== 'object') {
      return;
    }
    if (Array.isArray(current)) {
      for (const item of current) {
        visit(path, item);
        if (typeof item === 'string') {
          const pathKey = `${path}.${item}`;
          if (!seenPathKeys.has(pathKey.toLowerCase())) {
            seenPathKeys.add(pathKey.toLowerCase());
            raw.push({ key: pathKey, value: true });
          }
        }
      }
      return;
    }
    for (const [key, value] of Object.entries(current)) {
      visit(path ? `${path}.${key}` : key, value);
    }
  };
  visit('', entity);
  raw.push({ key: 'metadata.name', value: entity.metadata.name });
  raw.push({ key: 'metadata.namespace', value: entity.metadata.namespace });
  raw.push({ key: 'metadata.uid', value: entity.metadata.uid });
  if (!entity.metadata.namespace) {
    raw.push({ key: 'metadata.namespace', value: DEFAULT_NAMESPACE });
  }
  for (const relation of entity.relations ?? []) {
    raw.push({ key: `relations.${relation.type}`, value: relation.targetRef });
  }

  const rows: SearchRow[] = [];
  const seen = new Set<string>();
  for (const { key: rawKey, value: rawValue } of raw) {
    const key = rawKey.toLowerCase();
    if (key.length > MAX_KEY_LENGTH) {
      continue;
    }
    let value: string | null = null;
    if (rawValue !== undefined && rawValue !== null) {
      const lower = String(rawValue).toLowerCase();
      value = lower.length <= MAX_VALUE_LENGTH ? lower : null;
    }
    const dedupe = `${key}\0${value === null ? '\u0000null' : value}`;
    if (!seen.has(dedupe)) {
      seen.add(dedupe);
      rows.push({ key, value });
    }
  }
  return rows;
}
