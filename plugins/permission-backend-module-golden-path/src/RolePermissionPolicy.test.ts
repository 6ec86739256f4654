import { ConfigReader } from '@backstage/config';
import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  actionExecutePermission,
  taskCreatePermission,
  taskReadPermission,
  templateDryRunPermission,
  templateParameterReadPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import { RolePermissionPolicy } from './RolePermissionPolicy';
import { readRoleMapping } from './roles';

const groups: Record<string, string[]> = {
  'user:default/alice': ['group:default/team-platform'],
  'user:default/bob': ['group:default/team-payments'],
  'user:default/vera': ['group:default/auditors'],
  'user:default/guest': [],
};

const policy = new RolePermissionPolicy(
  readRoleMapping(
    new ConfigReader({
      goldenPath: {
        authorization: {
          platformAdmins: ['group:default/team-platform'],
          developers: ['group:default/team-payments'],
          viewers: ['group:auditors'],
        },
      },
    }),
  ),
  async user => {
    const ref = (user.credentials.principal as { userEntityRef: string })
      .userEntityRef;
    return [ref, ...(groups[ref] ?? [])];
  },
);

const decide = (permission: any, user?: string) =>
  policy.handle(
    { permission },
    user ? ({ credentials: mockCredentials.user(user) } as any) : undefined,
  );

describe('RolePermissionPolicy', () => {
  it('lets platform admins do everything', async () => {
    for (const p of [
      catalogLocationCreatePermission,
      catalogLocationDeletePermission,
      catalogEntityDeletePermission,
      templateDryRunPermission,
      taskReadPermission,
    ]) {
      expect(await decide(p, 'user:default/alice')).toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });

  it('lets developers read and run templates, but not register or unregister locations', async () => {
    const bob = 'user:default/bob';
    for (const p of [
      catalogEntityReadPermission,
      templateParameterReadPermission,
      taskCreatePermission,
      actionExecutePermission,
    ]) {
      expect((await decide(p, bob)).result).toBe(AuthorizeResult.ALLOW);
    }
    for (const p of [
      catalogLocationCreatePermission,
      catalogLocationDeletePermission,
      catalogEntityDeletePermission,
      templateDryRunPermission,
    ]) {
      expect((await decide(p, bob)).result).toBe(AuthorizeResult.DENY);
    }
  });

  it('shows developers and viewers only the tasks they started', async () => {
    for (const user of ['user:default/bob', 'user:default/vera']) {
      expect(await decide(taskReadPermission, user)).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'scaffolder',
        resourceType: 'scaffolder-task',
        conditions: {
          rule: 'IS_TASK_OWNER',
          resourceType: 'scaffolder-task',
          params: { createdBy: [user] },
        },
      });
    }
  });

  it('lets viewers read but not run templates', async () => {
    const vera = 'user:default/vera';
    expect((await decide(catalogEntityReadPermission, vera)).result).toBe(
      AuthorizeResult.ALLOW,
    );
    expect((await decide(taskCreatePermission, vera)).result).toBe(
      AuthorizeResult.DENY,
    );
  });

  it('gives a user in no role, such as a GitHub account named guest, nothing', async () => {
    for (const p of [catalogEntityReadPermission, taskCreatePermission]) {
      expect((await decide(p, 'user:default/guest')).result).toBe(
        AuthorizeResult.DENY,
      );
    }
  });

  it('refuses a role mapping entry that is not a user or group ref, naming the key', () => {
    expect(() =>
      readRoleMapping(
        new ConfigReader({
          goldenPath: {
            authorization: { developers: ['component:default/x'] },
          },
        }),
      ),
    ).toThrow(/goldenPath.authorization.developers: "component:default\/x"/);
  });
});
