/**
 * The portal's permission policy: roles for the platform team, developers and viewers.
 *
 * @packageDocumentation
 */
export { permissionModuleGoldenPathPolicy as default } from './module';
export { RolePermissionPolicy } from './RolePermissionPolicy';
export { readRoleMapping, roleOf, ROLES } from './roles';
export type { Role, RoleMapping } from './roles';
