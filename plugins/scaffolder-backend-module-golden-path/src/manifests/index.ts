/**
 * Pure builders of the deploy manifests and the writers that put them into a scaffolder workspace.
 * `writeExternalSecrets` is shared by golden-path:deploy and golden-path:secrets.
 */
export * from './common';
export * from './workload';
export * from './networkPolicies';
export * from './externalSecret';
export * from './flux';
export {
  appNamespace,
  baseManifests,
  writeDeployManifests,
} from './writeDeployManifests';
export * from './autoscaling';
export * from './image';
export * from './promotion';
