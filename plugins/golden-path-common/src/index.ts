/**
 * The golden-path policy in one place, shared by scaffolder actions, backend plugins and the UI.
 * Isomorphic: no Node-only imports.
 *
 * @packageDocumentation
 */
export * from './componentName';
