import {
  AuthorizeResult,
  Permission,
  PolicyDecision,
  isPermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  catalogEntityRefreshPermission,
  catalogEntityValidatePermission,
  catalogIngestionReadPermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  actionExecutePermission,
  taskCancelPermission,
  taskCreatePermission,
  taskReadPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import {
  createScaffolderTaskConditionalDecision,
  scaffolderTaskConditions,
} from '@backstage/plugin-scaffolder-backend/alpha';
import { Role, RoleMapping, roleOf } from './roles';

/** Resolves a signed-in user's ownership refs (their user ref and direct groups) from the catalog identity. */
export type OwnershipRefsOf = (user: PolicyQueryUser) => Promise<string[]>;

/** What developers may do beyond reading: run templates and keep their own entities fresh. */
const DEVELOPER_ACTIONS = [
  taskCreatePermission,
  actionExecutePermission,
  catalogEntityRefreshPermission,
  catalogEntityValidatePermission,
];
/** Reads that stay with the platform team although they are reads. */
const ADMIN_ONLY_READS = [catalogIngestionReadPermission];
/** Tasks are seen and cancelled by the user who started them; the platform team sees all. */
const OWN_TASK_PERMISSIONS = [taskReadPermission, taskCancelPermission];

/**
 * The portal's policy: platform admins may do everything; developers read, run templates and see their own tasks;
 * viewers read. Users with no role, and any permission not named here (registering or unregistering locations,
 * deleting entities, dry-runs, template management), are denied. Service-to-service calls never reach a policy:
 * the permissions service allows them.
 */
export class RolePermissionPolicy implements PermissionPolicy {
  constructor(
    private readonly roles: RoleMapping,
    private readonly ownershipRefsOf: OwnershipRefsOf,
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const principal = user?.credentials.principal as
      | { type: string; userEntityRef?: string }
      | undefined;
    if (!user || principal?.type !== 'user' || !principal.userEntityRef) {
      return { result: AuthorizeResult.DENY };
    }
    const role = roleOf(this.roles, await this.ownershipRefsOf(user));
    return decide(request, role, principal.userEntityRef);
  }
}

function decide(
  { permission }: PolicyQuery,
  role: Role | undefined,
  userEntityRef: string,
): PolicyDecision {
  if (role === 'platformAdmin') {
    return { result: AuthorizeResult.ALLOW };
  }
  if (!role) {
    return { result: AuthorizeResult.DENY };
  }
  const named = (list: Permission[]) =>
    list.some(p => isPermission(permission, p));
  if (named(OWN_TASK_PERMISSIONS)) {
    return createScaffolderTaskConditionalDecision(
      permission as typeof taskReadPermission,
      scaffolderTaskConditions.isTaskOwner({ createdBy: [userEntityRef] }),
    );
  }
  if (permission.attributes.action === 'read' && !named(ADMIN_ONLY_READS)) {
    return { result: AuthorizeResult.ALLOW };
  }
  if (role === 'developer' && named(DEVELOPER_ACTIONS)) {
    return { result: AuthorizeResult.ALLOW };
  }
  return { result: AuthorizeResult.DENY };
}
