/**
 * Golden-path scaffolder actions, and a URL reader for repositories published to local git.
 *
 * Backend: `backend.add(import('@golden-path/plugin-scaffolder-backend-module-golden-path'))` and
 * `backend.add(localRepoUrlReaderFactory)` when local publishing is used.
 *
 * @packageDocumentation
 */
export { createPublishLocalAction } from './actions/publishLocal';
export { localRepoUrlReaderFactory } from './localRepos/localRepoUrlReaderFactory';
export { goldenPathScaffolderModule as default } from './module';
