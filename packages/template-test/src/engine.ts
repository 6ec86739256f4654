// The scaffolder engine in-process: a minimal Backstage backend (the scaffolder plugin, its built-in actions, the
// golden-path module and any module the author names) on in-memory SQLite, listening on loopback only. Templates
// run through the scaffolder's own dry-run route, so step rendering, `if`, `each`, secrets redaction and the
// handling of publish/register steps are the backend's, not ours.
import type { ExtendedHttpServer } from '@backstage/backend-defaults/rootHttpRouter';
import type { BackendFeature } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';

import { requireWorkspace as require } from './workspacePackages.ts';

const { mockServices, mockCredentials } =
  require('@backstage/backend-test-utils') as typeof import('@backstage/backend-test-utils');
const alphaMocks =
  require('@backstage/backend-test-utils/alpha') as typeof import('@backstage/backend-test-utils/alpha');
const { createSpecializedBackend } =
  require('@backstage/backend-app-api') as typeof import('@backstage/backend-app-api');
const { coreServices, createServiceFactory } =
  require('@backstage/backend-plugin-api') as typeof import('@backstage/backend-plugin-api');
const { DefaultRootHttpRouter, MiddlewareFactory, createHttpServer } =
  require('@backstage/backend-defaults/rootHttpRouter') as typeof import('@backstage/backend-defaults/rootHttpRouter');
const { HostDiscovery } =
  require('@backstage/backend-defaults/discovery') as typeof import('@backstage/backend-defaults/discovery');
const { ConfigReader } =
  require('@backstage/config') as typeof import('@backstage/config');
const { catalogServiceMock } =
  require('@backstage/plugin-catalog-node/testUtils') as typeof import('@backstage/plugin-catalog-node/testUtils');

/** Which backend module provides a well-known action, for the "action not installed" message. */
const KNOWN_MODULES: Array<[RegExp, string]> = [
  [
    /^golden-path:/,
    '@golden-path/plugin-scaffolder-backend-module-golden-path',
  ],
  [
    /^(publish|github):github\b|^github:/,
    '@backstage/plugin-scaffolder-backend-module-github',
  ],
  [
    /^(publish:gitlab|gitlab:)/,
    '@backstage/plugin-scaffolder-backend-module-gitlab',
  ],
  [
    /^(publish:bitbucket|bitbucket)/,
    '@backstage/plugin-scaffolder-backend-module-bitbucket',
  ],
  [
    /^publish:azure|^azure:/,
    '@backstage/plugin-scaffolder-backend-module-azure',
  ],
  [/^publish:gitea/, '@backstage/plugin-scaffolder-backend-module-gitea'],
  [/^publish:gerrit/, '@backstage/plugin-scaffolder-backend-module-gerrit'],
  [
    /^fetch:cookiecutter/,
    '@backstage/plugin-scaffolder-backend-module-cookiecutter',
  ],
  [/^fetch:rails/, '@backstage/plugin-scaffolder-backend-module-rails'],
  [/^run:yeoman/, '@backstage/plugin-scaffolder-backend-module-yeoman'],
  [/^sentry:/, '@backstage/plugin-scaffolder-backend-module-sentry'],
  [
    /^confluence:/,
    '@backstage/plugin-scaffolder-backend-module-confluence-to-markdown',
  ],
  [
    /^roadiehq:utils:|^roadiehq:fs:/,
    '@roadiehq/scaffolder-backend-module-utils',
  ],
  [
    /^http:backstage:request/,
    '@roadiehq/scaffolder-backend-module-http-request',
  ],
  [
    /^catalog:(annotate|timestamping|scaffolded-from|template:version)/,
    '@backstage-community/plugin-scaffolder-backend-module-annotator',
  ],
];

export function moduleHintFor(actionId: string): string {
  const known = KNOWN_MODULES.find(([pattern]) => pattern.test(actionId));
  const pkg = known?.[1] ?? '<the package that provides it>';
  return `install ${pkg} next to template-test and pass --module ${pkg} (it is loaded like backend.add(import('${pkg}')))`;
}

export type DryRunFile = {
  path: string;
  content: Buffer;
  executable?: boolean;
};

export type DryRunResult =
  | {
      ok: true;
      files: DryRunFile[];
      log: Array<{ message: string; stepId?: string; status?: string }>;
      steps: Array<{ id: string; name: string; action: string }>;
      output: Record<string, unknown>;
    }
  | { ok: false; status: number; error: string; details?: unknown };

export type Engine = {
  /** Every action id the engine has installed. */
  actions(): Promise<string[]>;
  dryRun(request: {
    template: unknown;
    values: Record<string, unknown>;
    secrets?: Record<string, string>;
    files: Array<{ path: string; content: Buffer }>;
  }): Promise<DryRunResult>;
  stop(): Promise<void>;
};

export type EngineOptions = {
  /** Backstage config (e.g. the portal's app-config `goldenPath` policy); merged over the engine's defaults. */
  config?: JsonObject;
  /** Extra backend modules to install: package names, resolved from the template folder first, then from here. */
  modules?: string[];
  /** Resolve `modules` from this folder (the template's), so authors can install modules in their own repo. */
  resolveFrom?: string;
  /** Entities the catalog answers with (owner groups the template's actions look up, e.g. for CODEOWNERS). */
  catalogEntities?: Entity[];
};

function loadModule(name: string, resolveFrom?: string): BackendFeature {
  let path: string;
  try {
    path = require.resolve(name, {
      paths: [...(resolveFrom ? [resolveFrom] : []), import.meta.dirname],
    });
  } catch {
    throw new Error(
      `backend module ${name} is not installed: add it to the template repository (npm install ${name}) or next to template-test`,
    );
  }
  const loaded = require(path);
  const feature = loaded.default ?? loaded;
  if (!feature || feature.$$type !== '@backstage/BackendFeature') {
    throw new Error(
      `${name} does not default-export a backend module (expected what backend.add(import('${name}')) accepts)`,
    );
  }
  return feature;
}

export async function startEngine(
  options: EngineOptions = {},
): Promise<Engine> {
  let server: ExtendedHttpServer | undefined;
  // The test backend would listen on every interface; the engine answers on loopback only.
  const rootHttpRouter = createServiceFactory({
    service: coreServices.rootHttpRouter,
    deps: {
      config: coreServices.rootConfig,
      lifecycle: coreServices.rootLifecycle,
      rootLogger: coreServices.rootLogger,
    },
    async factory({ config, lifecycle, rootLogger }) {
      const express = require('express');
      const router = DefaultRootHttpRouter.create();
      const logger = rootLogger.child({ service: 'rootHttpRouter' });
      const middleware = MiddlewareFactory.create({ config, logger });
      const app = express();
      app.use(router.handler());
      app.use(middleware.notFound());
      app.use(middleware.error());
      server = await createHttpServer(
        app,
        { listen: { host: '127.0.0.1', port: 0 } },
        { logger },
      );
      lifecycle.addShutdownHook(() => server!.stop(), { logger });
      await server.start();
      return router;
    },
  });
  const discovery = createServiceFactory({
    service: coreServices.discovery,
    deps: { rootHttpRouter: coreServices.rootHttpRouter },
    async factory() {
      const port = server!.port();
      return HostDiscovery.fromConfig(
        new ConfigReader({
          backend: { baseUrl: `http://127.0.0.1:${port}`, listen: { port } },
        }),
      );
    },
  });
  const config = { ...options.config };
  const knex = require('knex')({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  // Core services as a test backend has them: real SQLite, cache and scheduler; one built-in identity (the
  // engine runs the author's own template on their machine, so there is nobody else to authorise).
  const backend = createSpecializedBackend({
    defaultServiceFactories: [
      mockServices.auth.factory(),
      mockServices.auditor.factory(),
      mockServices.cache.factory(),
      mockServices.rootConfig.factory({ data: config }),
      // One in-memory SQLite database the engine owns, so stop() closes it (and its pool's timers) too.
      mockServices.database.factory({ knex }),
      mockServices.httpAuth.factory(),
      mockServices.httpRouter.factory(),
      mockServices.lifecycle.factory(),
      mockServices.logger.factory(),
      mockServices.permissions.factory(),
      mockServices.permissionsRegistry.factory(),
      mockServices.rootHealth.factory(),
      mockServices.rootLifecycle.factory(),
      // Offline: no log lines from the backend itself, only the task's own log.
      mockServices.rootLogger.factory({ level: 'error' }),
      mockServices.scheduler.factory(),
      mockServices.userInfo.factory(),
      mockServices.urlReader.factory(),
      mockServices.events.factory(),
      alphaMocks.actionsRegistryServiceMock.factory(),
      alphaMocks.actionsServiceMock.factory(),
      alphaMocks.metricsServiceMock.factory(),
      alphaMocks.tracingServiceMock.factory(),
      rootHttpRouter,
      discovery,
    ],
  });
  const features: any[] = [
    catalogServiceMock.factory({ entities: options.catalogEntities ?? [] }),
    require('@backstage/plugin-scaffolder-backend'),
    require('@golden-path/plugin-scaffolder-backend-module-golden-path'),
    ...(options.modules ?? []).map(m => loadModule(m, options.resolveFrom)),
  ];
  for (const feature of features) backend.add(feature.default ?? feature);
  await backend.start();
  const baseUrl = `http://127.0.0.1:${server!.port()}/api/scaffolder`;
  const headers = {
    Authorization: mockCredentials.user.header(),
    'Content-Type': 'application/json',
  };

  return {
    async actions() {
      const res = await fetch(`${baseUrl}/v2/actions`, { headers });
      const list = (await res.json()) as Array<{ id: string }>;
      return list.map(a => a.id);
    },
    async dryRun(request) {
      const res = await fetch(`${baseUrl}/v2/dry-run`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          template: request.template,
          values: request.values,
          secrets: request.secrets ?? {},
          directoryContents: request.files.map(f => ({
            path: f.path,
            base64Content: f.content.toString('base64'),
          })),
        }),
      });
      const body: any = await res.json().catch(() => ({}));
      if (!res.ok) {
        const errors = body.errors as Array<{ stack: string }> | undefined;
        return {
          ok: false,
          status: res.status,
          error: errors
            ? errors.map(e => e.stack).join('; ')
            : body.error?.message ?? `HTTP ${res.status}`,
          details: body,
        };
      }
      return {
        ok: true,
        files: body.directoryContents.map((f: any) => ({
          path: f.path,
          executable: f.executable,
          content: Buffer.from(f.base64Content, 'base64'),
        })),
        log: body.log.map((l: any) => l.body),
        steps: body.steps,
        output: body.output ?? {},
      };
    },
    async stop() {
      await backend.stop();
      await knex.destroy();
    },
  };
}
