import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { RolePermissionPolicy } from './RolePermissionPolicy';
import { readRoleMapping } from './roles';

/**
 * Installs the portal's role policy (platform admins, developers, viewers) as the permission backend's policy. It
 * decides only when `permission.enabled` is true; the dev config turns permissions off (everything allowed).
 *
 * @public
 */
export const permissionModuleGoldenPathPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'golden-path-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        userInfo: coreServices.userInfo,
        logger: coreServices.logger,
      },
      async init({ policy, config, userInfo, logger }) {
        const roles = readRoleMapping(config);
        logger.info(
          `Permission roles: ${Object.entries(roles)
            .map(([role, refs]) => `${role}=[${[...refs].join(', ')}]`)
            .join(' ')}`,
        );
        policy.setPolicy(
          new RolePermissionPolicy(roles, async user => {
            // The ownership refs the sign-in resolver put in the user's identity: their user ref and groups.
            const info = await userInfo.getUserInfo(user.credentials);
            return info.ownershipEntityRefs;
          }),
        );
      },
    });
  },
});
