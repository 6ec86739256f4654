import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { FilterOptionsResponse } from '@golden-path/common';

/** A group as the dashboard's team filter offers it: its ref, display name and parent team. */
export function teamOf(group: Entity): FilterOptionsResponse['teams'][number] {
  const profile = group.spec?.profile as { displayName?: unknown } | undefined;
  const displayName =
    typeof profile?.displayName === 'string'
      ? profile.displayName
      : group.metadata.title;
  const parent = parentRef(group);
  return {
    ref: stringifyEntityRef(group),
    ...(displayName ? { displayName } : {}),
    ...(parent ? { parent } : {}),
  };
}

function parentRef(group: Entity): string | undefined {
  const parent = group.spec?.parent;
  if (typeof parent !== 'string' || parent.trim() === '') {
    return undefined;
  }
  try {
    return stringifyEntityRef(
      parseEntityRef(parent.trim(), {
        defaultKind: 'group',
        defaultNamespace: group.metadata.namespace ?? 'default',
      }),
    );
  } catch {
    return undefined;
  }
}

/** Teams in the order the filter lists them: by display name, case-insensitively. */
export function byTitle(
  a: { ref: string; displayName?: string },
  b: { ref: string; displayName?: string },
): number {
  return (a.displayName ?? a.ref).localeCompare(b.displayName ?? b.ref, 'en', {
    sensitivity: 'base',
  });
}
