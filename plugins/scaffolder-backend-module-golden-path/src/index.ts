/**
 * Golden-path scaffolder actions (tracing, cost tags, secrets, deploy manifests, provenance, local publishing),
 * and a URL reader for repositories published to local git.
 *
 * Backend: `backend.add(import('@golden-path/plugin-scaffolder-backend-module-golden-path'))` and
 * `backend.add(localRepoUrlReaderFactory)` when local publishing is used; `backend.add(templateFragmentsCatalogModule)`
 * so the catalog resolves the templates' `$yaml`/`$text` placeholders relative to file locations.
 *
 * @packageDocumentation
 */
export { createChaosAction } from './actions/chaos';
export { createCiAction } from './actions/ci';
export { createCodeownersAction } from './actions/codeowners';
export { createCostTagsAction } from './actions/costTags';
export { createDeployManifestsAction } from './actions/deployManifests';
export { createProvenanceAction } from './actions/provenance';
export { createPublishLocalAction } from './actions/publishLocal';
export { createSecretsAction } from './actions/secrets';
export { createSecretsSeedAction } from './actions/secretsSeed';
export { createTracingAction } from './actions/tracing';
export { createWireAction } from './actions/wire';
export { createSecretStore } from './secretStores/createSecretStore';
export type {
  SecretCreateResult,
  SecretStore,
} from './secretStores/SecretStore';
export { localRepoUrlReaderFactory } from './localRepos/localRepoUrlReaderFactory';
export {
  templateFragmentsCatalogModule,
  textPlaceholderResolver,
  yamlPlaceholderResolver,
} from './templates/sharedFragments';
export { goldenPathScaffolderModule as default } from './module';
