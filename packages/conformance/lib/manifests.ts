// Validates generated Kubernetes and Flux manifests the way a cluster would see them: every overlay is built with
// the real kustomize, and every object is checked against its published schema.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import {
  ConfigMap,
  Namespace,
  Service,
  ServiceAccount,
} from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { ExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1';
import { Kustomization } from '@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1';
import { GitRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1';
import {
  ImagePolicy,
  ImageRepository,
  ImageUpdateAutomation,
} from '@kubernetes-models/flux-cd/image.toolkit.fluxcd.io/v1';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { repoRoot } from '../../backend/integration/lib/backendProcess.ts';
import { crdProblems } from './crdValidation.ts';

const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ServiceAccount': ServiceAccount,
  'v1/Service': Service,
  'v1/ConfigMap': ConfigMap,
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'external-secrets.io/v1/ExternalSecret': ExternalSecret,
  'kustomize.toolkit.fluxcd.io/v1/Kustomization': Kustomization,
  'source.toolkit.fluxcd.io/v1/GitRepository': GitRepository,
  'image.toolkit.fluxcd.io/v1/ImageRepository': ImageRepository,
  'image.toolkit.fluxcd.io/v1/ImagePolicy': ImagePolicy,
  'image.toolkit.fluxcd.io/v1/ImageUpdateAutomation': ImageUpdateAutomation,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject,
};

export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  [key: string]: any;
};

/** Throws naming the object and the schema error when an object does not validate. */
export function validateObject(object: K8sObject, source: string): void {
  const model = MODELS[`${object.apiVersion}/${object.kind}`];
  // No published model (Chaos Mesh): the project's own CRD schema, strictly.
  const problems = model ? undefined : crdProblems(object);
  if (problems?.length === 0) return;
  if (problems) {
    throw new Error(
      `${source}: ${object.kind} ${object.metadata?.name} is invalid against its CRD: ${problems.join('; ')}`,
    );
  }
  if (!model) {
    throw new Error(
      `${source}: no published schema known for ${object.apiVersion} ${object.kind}`,
    );
  }
  try {
    new model(object).validate();
  } catch (error) {
    throw new Error(
      `${source}: ${object.kind} ${object.metadata?.name} is invalid: ${error}`,
    );
  }
}

export const kustomizeBinary = join(repoRoot, '.tools/go/bin/kustomize');
export const actionlintBinary = join(repoRoot, '.tools/go/bin/actionlint');

/** `kustomize build <dir>` with the pinned kustomize that scripts/test installs. */
export function kustomizeBuild(dir: string): K8sObject[] {
  if (!existsSync(kustomizeBinary)) {
    throw new Error(
      `${kustomizeBinary} is missing: ./scripts/test installs it (go install sigs.k8s.io/kustomize/kustomize/v5)`,
    );
  }
  const output = execFileSync(kustomizeBinary, ['build', dir], {
    encoding: 'utf8',
  });
  return YAML.parseAllDocuments(output).map(d => d.toJS());
}

/** Builds every overlay and validates every object in it and in deploy/flux. Returns the objects per overlay. */
export function buildAndValidateDeploy(
  repoDir: string,
): Record<string, K8sObject[]> {
  return { ...buildAndValidateOverlays(repoDir).overlays };
}

/** The objects of every overlay and of every deploy/flux file, each validated against its published schema. */
export function buildAndValidateOverlays(repoDir: string): {
  overlays: Record<string, K8sObject[]>;
  flux: Record<string, K8sObject[]>;
} {
  const overlays = readdirSync(join(repoDir, 'deploy/overlays'));
  const built: Record<string, K8sObject[]> = {};
  for (const overlay of overlays) {
    built[overlay] = kustomizeBuild(join(repoDir, 'deploy/overlays', overlay));
    built[overlay].forEach(o =>
      validateObject(o, `deploy/overlays/${overlay}`),
    );
  }
  const flux: Record<string, K8sObject[]> = {};
  for (const file of readdirSync(join(repoDir, 'deploy/flux'))) {
    const docs = YAML.parseAllDocuments(
      readFileSync(join(repoDir, 'deploy/flux', file), 'utf8'),
    ).map(d => d.toJS());
    docs.forEach(o => validateObject(o, `deploy/flux/${file}`));
    flux[file.replace(/\.yaml$/, '')] = docs;
  }
  return { overlays: built, flux };
}
