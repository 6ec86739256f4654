import {
  HttpAuthService,
  SchedulerService,
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import permissionPlugin from '@backstage/plugin-permission-backend';
import {
  AuthorizeResult,
  isPermission,
} from '@backstage/plugin-permission-common';
import { PermissionPolicy } from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import request from 'supertest';
import { SECRET_ANNOTATION } from './exampleOrg';
import { REFRESH_TASK_ID, serviceInsightsPlugin } from '../plugin';

/** Users whose ref starts with this may not read entities carrying {@link SECRET_ANNOTATION}. */
export const RESTRICTED_USER_PREFIX = 'user:default/guest';

/**
 * The default test policy: users whose ref starts with {@link RESTRICTED_USER_PREFIX} get a conditional decision
 * the catalog turns into a database filter, so hidden entities are absent from lists, by-ref lookups and
 * everything built from them; everyone else is allowed.
 */
export const secretsHiddenFromGuests: PermissionPolicy = {
  async handle(req, user) {
    if (
      isPermission(req.permission, catalogEntityReadPermission) &&
      user?.info.userEntityRef.startsWith(RESTRICTED_USER_PREFIX)
    ) {
      return createCatalogConditionalDecision(req.permission, {
        not: catalogConditions.hasAnnotation({
          annotation: SECRET_ANNOTATION,
        }),
      });
    }
    return { result: AuthorizeResult.ALLOW };
  },
};

// The real permission policy seam, with the policy a test chooses.
function policyModule(policy: PermissionPolicy) {
  return createBackendModule({
    pluginId: 'permission',
    moduleId: 'test-policy',
    register(reg) {
      reg.registerInit({
        deps: { policy: policyExtensionPoint },
        async init({ policy: extension }) {
          extension.setPolicy(policy);
        },
      });
    },
  });
}

// The test backend's scheduler runs each task once at startup and then only when triggered; this hands the
// plugin's scheduler to the test, so it can run the refresh when the catalog has changed.
function schedulerProbe(holder: { scheduler?: SchedulerService }) {
  return createBackendModule({
    pluginId: 'service-insights',
    moduleId: 'test-scheduler-probe',
    register(reg) {
      reg.registerInit({
        deps: { scheduler: coreServices.scheduler },
        async init({ scheduler }) {
          holder.scheduler = scheduler;
        },
      });
    },
  });
}

// The mock auth services turn a plugin's on-behalf-of token back into a bare user, without the actor that real
// on-behalf-of tokens carry; the permission backend refuses list queries from bare users. This puts the actor back,
// and makes requests without a token unauthenticated (the mock default is a user).
const httpAuthWithActors = createServiceFactory({
  service: coreServices.httpAuth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }): HttpAuthService {
    const inner = mockServices.httpAuth({
      pluginId: plugin.getId(),
      defaultCredentials: mockCredentials.none(),
    });
    return {
      async credentials(req, options) {
        const credentials = await inner.credentials(req, options);
        const principal = credentials.principal as {
          type: string;
          userEntityRef?: string;
        };
        const header = req.headers.authorization ?? '';
        if (
          principal.type === 'user' &&
          header.startsWith('Bearer mock-service-token:')
        ) {
          return mockCredentials.user(principal.userEntityRef, {
            actor: { subject: 'plugin:on-behalf-of' },
          }) as typeof credentials;
        }
        return credentials;
      },
      issueUserCookie: (res, options) => inner.issueUserCookie(res, options),
    };
  },
});

/**
 * Starts a backend with the real catalog (SQLite in memory, fed from a file location holding `entities`), the real
 * permission backend with the test policy (default {@link secretsHiddenFromGuests}), and the service-insights
 * plugin refreshing every second; resolves once every entity is in the catalog and every component in the
 * insights.
 */
export async function startCatalogTestBackend(
  entities: Entity[],
  options: {
    timeoutMs?: number;
    policy?: PermissionPolicy;
    /** More app-config for the plugin, e.g. `{ serviceInsights: { traceQuery: … } }`. */
    config?: Record<string, unknown>;
  } = {},
) {
  const directory = createMockDirectory();
  directory.setContent({
    // JSON is YAML, so each entity is one document.
    'catalog-info.yaml': entities.map(e => JSON.stringify(e)).join('\n---\n'),
  });
  const holder: { scheduler?: SchedulerService } = {};
  const backend = await startTestBackend({
    features: [
      mockServices.rootConfig.factory({
        data: {
          ...options.config,
          permission: { enabled: true },
          catalog: {
            rules: [
              { allow: ['Component', 'System', 'Domain', 'Group', 'User'] },
            ],
            locations: [
              { type: 'file', target: directory.resolve('catalog-info.yaml') },
            ],
          },
        },
      }),
      httpAuthWithActors,
      catalogPlugin,
      permissionPlugin,
      policyModule(options.policy ?? secretsHiddenFromGuests),
      serviceInsightsPlugin,
      schedulerProbe(holder),
    ],
  });
  /** Runs the plugin's refresh task now, as the scheduler would, and waits for it to finish. */
  const refreshInsights = () => holder.scheduler!.triggerTask(REFRESH_TASK_ID);
  const timeoutMs = options.timeoutMs ?? 30_000;
  await waitForCatalog(backend.server, entities.length, timeoutMs);
  await waitForInsights(
    backend.server,
    refreshInsights,
    entities.filter(e => e.kind === 'Component').length,
    timeoutMs,
  );
  return { ...backend, refreshInsights };
}

/** Refreshes until the plugin has stored `count` components (as a service principal sees them). */
export async function waitForInsights(
  server: Parameters<typeof request>[0],
  refresh: () => Promise<void>,
  count: number,
  timeoutMs = 30_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await refresh();
    const res = await request(server)
      .get('/api/service-insights/services?pageSize=1')
      .set('Authorization', mockCredentials.service.header());
    if (res.body.totalItems === count) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Service insights hold ${res.body.totalItems} of ${count} components after ${timeoutMs} ms (status ${res.status})`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}

async function waitForCatalog(
  server: Parameters<typeof request>[0],
  count: number,
  timeoutMs: number,
) {
  const kinds = ['component', 'group', 'user', 'system', 'domain'];
  const query = `${kinds
    .map(kind => `filter=kind=${kind}`)
    .join('&')}&limit=1&fields=kind`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await request(server)
      .get(`/api/catalog/entities/by-query?${query}`)
      .set('Authorization', mockCredentials.service.header());
    const loaded: number = res.body.totalItems ?? 0;
    if (loaded >= count) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `The catalog holds ${loaded} of ${count} entities after ${timeoutMs} ms (status ${res.status})`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}
