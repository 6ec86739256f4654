import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';

// A minimal backend for working on this plugin alone: `yarn start` in this package. It runs the real catalog with
// the locations of the repo's app-config.yaml (the example org under examples/) and mocked auth, so requests
// need no token:
//
//   curl 'http://localhost:7007/api/service-insights/services?team=engineering&compliance=noncompliant'
//   curl 'http://localhost:7007/api/service-insights/rollups'
//   curl 'http://localhost:7007/api/service-insights/entity?ref=component:default/payments-api'
//   curl -OJ 'http://localhost:7007/api/service-insights/services/export.csv'
//
// Every request then acts as the mock user (user:default/mock). Use the full portal (`yarn start` at the root)
// to see permissions at work.

// The catalog gets a database of its own in memory rather than the portal's SQLite files under data/, and no
// permission backend runs here, so permission checks are off.
process.env.APP_CONFIG_backend_database ??= JSON.stringify({
  client: 'better-sqlite3',
  connection: ':memory:',
});
process.env.APP_CONFIG_permission_enabled ??= 'false';

const backend = createBackend();

backend.add(mockServices.auth.factory());
backend.add(mockServices.httpAuth.factory());
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('../src'));

backend.start();
