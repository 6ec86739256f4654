import { Config } from '@backstage/config';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';

/** The portal's roles, strongest first. */
export const ROLES = ['platformAdmin', 'developer', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

const CONFIG_KEYS: Record<Role, string> = {
  platformAdmin: 'platformAdmins',
  developer: 'developers',
  viewer: 'viewers',
};

/** Which catalog refs (users or groups) hold each role. */
export type RoleMapping = Record<Role, ReadonlySet<string>>;

/**
 * Reads `goldenPath.authorization` and refuses anything that is not a user or group ref, naming the key: a typo in a
 * role mapping must stop the backend, not silently leave a team without (or with) access.
 */
export function readRoleMapping(config: Config): RoleMapping {
  const section = config.getOptionalConfig('goldenPath.authorization');
  const mapping = {} as Record<Role, Set<string>>;
  for (const role of ROLES) {
    const key = CONFIG_KEYS[role];
    const refs = section?.getOptionalStringArray(key) ?? [];
    mapping[role] = new Set(
      refs.map(ref =>
        normalizeMemberRef(ref, `goldenPath.authorization.${key}`),
      ),
    );
  }
  return mapping;
}

function normalizeMemberRef(ref: string, key: string): string {
  let parsed;
  try {
    parsed = parseEntityRef(ref);
  } catch (error) {
    throw new Error(`${key}: "${ref}" is not an entity ref (${error})`);
  }
  const kind = parsed.kind.toLocaleLowerCase('en-US');
  if (kind !== 'user' && kind !== 'group') {
    throw new Error(
      `${key}: "${ref}" must be a user or group ref such as group:default/team-platform`,
    );
  }
  return stringifyEntityRef(parsed).toLocaleLowerCase('en-US');
}

/** The strongest role any of the identity's refs holds, or undefined for none. */
export function roleOf(
  mapping: RoleMapping,
  ownershipEntityRefs: readonly string[],
): Role | undefined {
  const refs = ownershipEntityRefs.map(r => r.toLocaleLowerCase('en-US'));
  return ROLES.find(role => refs.some(ref => mapping[role].has(ref)));
}
