import YAML from 'yaml';
import { overlayDir } from '../workspace/kustomization';
import { ManifestObject, appLabels } from './common';

/** Where the Flux objects of a generated repository live: one file per environment. */
export const FLUX_DIR = 'deploy/flux';
export const fluxFilePath = (environment: string) =>
  `${FLUX_DIR}/${environment}.yaml`;

/** The namespace Flux's controllers and their objects live in by default. */
export const FLUX_NAMESPACE = 'flux-system';

/** The URL Flux clones when the template passes none; it must be replaced before the files are applied. */
export const placeholderGitUrl = (name: string) =>
  `https://git.example.com/${name}.git`;

/** The URL schemes Flux's GitRepository accepts. */
export const GIT_URL_PATTERN = /^(http|https|ssh):\/\/\S+$/;

/** The repository Flux watches: its `main` branch, fetching only `deploy/`. */
export function buildGitRepository(options: {
  name: string;
  url: string;
  branch?: string;
}): ManifestObject {
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: {
      name: options.name,
      namespace: FLUX_NAMESPACE,
      labels: appLabels(options.name),
    },
    spec: {
      interval: '1m',
      url: options.url,
      ref: { branch: options.branch ?? 'main' },
      ignore: '/*\n!/deploy/\n',
    },
  };
}

/**
 * Applies `deploy/overlays/<environment>` into the app's namespace, deletes what is removed from Git (`prune`) and
 * waits until every object is ready (`wait`), so a failed rollout shows as a failed Kustomization.
 */
export function buildFluxKustomization(options: {
  name: string;
  environment: string;
  namespace: string;
}): ManifestObject {
  const { name, environment } = options;
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: {
      name: `${name}-${environment}`,
      namespace: FLUX_NAMESPACE,
      labels: appLabels(name),
    },
    spec: {
      interval: '10m',
      retryInterval: '2m',
      timeout: '5m',
      sourceRef: { kind: 'GitRepository', name },
      path: `./${overlayDir(environment)}`,
      prune: true,
      wait: true,
      targetNamespace: options.namespace,
    },
  };
}

/**
 * The documents of `deploy/flux/<environment>.yaml`, with a comment saying how to use them. YAML documents rather
 * than plain objects only to carry that comment.
 */
export function fluxDocuments(options: {
  name: string;
  environment: string;
  namespace: string;
  url: string;
}): YAML.Document[] {
  const source = new YAML.Document(buildGitRepository(options));
  source.commentBefore = [
    ` Flux objects that deploy ${options.name} to ${options.environment}: apply them to the ${options.environment} cluster`,
    ` (kubectl apply -f ${fluxFilePath(
      options.environment,
    )}) or copy them into its fleet repository.`,
    ...(options.url === placeholderGitUrl(options.name)
      ? [
          ` spec.url is a placeholder: set it to this repository's clone URL, and add spec.secretRef if it is private.`,
        ]
      : []),
  ].join('\n');
  return [source, new YAML.Document(buildFluxKustomization(options))];
}
