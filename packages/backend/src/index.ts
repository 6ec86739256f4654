import { createBackend } from '@backstage/backend-defaults';
import {
  localRepoUrlReaderFactory,
  templateFragmentsCatalogModule,
} from '@golden-path/plugin-scaffolder-backend-module-golden-path';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// Sign-in: guest by default (app-config.yaml), GitHub in production (app-config.production.yaml). oauth2-proxy
// sign-in (behind an oauth2-proxy that sets X-Forwarded-User) is off unless auth.providers.oauth2Proxy is
// configured; the authorization integration test uses it to sign in two real catalog users.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-auth-backend-module-github-provider'));
backend.add(
  import('@backstage/plugin-auth-backend-module-oauth2-proxy-provider'),
);

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
// The templates share their form pages and steps (templates/shared/) through `$yaml` placeholders; this resolves
// them relative to the templates' file locations, which the built-in resolvers refuse.
backend.add(templateFragmentsCatalogModule);

backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(
  import('@golden-path/plugin-scaffolder-backend-module-golden-path'),
);
// Lets the catalog read repositories published by golden-path:publish:local (only when it is configured).
backend.add(localRepoUrlReaderFactory);

// Roles (platform admins, developers, viewers) from goldenPath.authorization; they decide only where
// permission.enabled is true (production). The dev config turns permissions off: everything is allowed.
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@golden-path/plugin-permission-backend-module-golden-path'),
);

// Search runs on the built-in in-memory (Lunr) engine, fed by the catalog.
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

// Kubernetes: the clusters the platform configures (kubernetes.clusterLocatorMethods); service insights asks it
// what runs where, per component.
backend.add(import('@backstage/plugin-kubernetes-backend'));

// Aggregates the catalog for the service-insights card and dashboard.
backend.add(import('@golden-path/plugin-service-insights-backend'));

backend.start();
