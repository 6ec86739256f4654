import {
  HttpAuthService,
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
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import request from 'supertest';
import { SECRET_ANNOTATION } from './exampleOrg';
import { serviceInsightsPlugin } from '../plugin';

/** Users whose ref starts with this may not read entities carrying {@link SECRET_ANNOTATION}. */
export const RESTRICTED_USER_PREFIX = 'user:default/guest';

// The real permission policy seam: a conditional decision the catalog turns into a database filter, so hidden
// entities are absent from lists, by-ref lookups and everything built from them.
const secretsHiddenFromGuests = createBackendModule({
  pluginId: 'permission',
  moduleId: 'test-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy({
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
        });
      },
    });
  },
});

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
 * permission backend with the test policy, and the service-insights plugin; resolves once every entity is in the
 * catalog.
 */
export async function startCatalogTestBackend(
  entities: Entity[] | { yaml: string; count: number },
  options: { timeoutMs?: number } = {},
) {
  const directory = createMockDirectory();
  directory.setContent({
    // JSON is YAML, so each entity is one document.
    'catalog-info.yaml': Array.isArray(entities)
      ? entities.map(e => JSON.stringify(e)).join('\n---\n')
      : entities.yaml,
  });
  const backend = await startTestBackend({
    features: [
      mockServices.rootConfig.factory({
        data: {
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
      secretsHiddenFromGuests,
      serviceInsightsPlugin,
    ],
  });
  await waitForCatalog(
    backend.server,
    Array.isArray(entities) ? entities.length : entities.count,
    options.timeoutMs ?? 30_000,
  );
  return backend;
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
