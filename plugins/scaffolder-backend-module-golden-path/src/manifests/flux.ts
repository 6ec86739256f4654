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

/**
 * The Secret in `flux-system` with the credentials Flux clones (and, for image automation, pushes) a private
 * repository with: `flux create secret git <name>-git --url=<clone URL>` creates it.
 */
export const gitSecretName = (name: string) => `${name}-git`;

/** The repository Flux watches: its `main` branch, fetching only `deploy/`; `secretRef` for a private one. */
export function buildGitRepository(options: {
  name: string;
  url: string;
  branch?: string;
  private?: boolean;
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
      ...(options.private
        ? { secretRef: { name: gitSecretName(options.name) } }
        : {}),
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

/** What to tell the user about the clone URL, or nothing when it is real. */
export function gitUrlNotice(name: string, url: string): string | undefined {
  return url === placeholderGitUrl(name)
    ? `spec.url of the GitRepository in ${FLUX_DIR}/*.yaml is a placeholder (${url}): set it to this repository's clone URL before applying, and add spec.secretRef (${gitSecretName(
        name,
      )}) if the repository is private.`
    : undefined;
}

/**
 * The documents of `deploy/flux/<environment>.yaml`, with a comment saying how to use them. YAML documents rather
 * than plain objects only to carry that comment. `imageAutomation` (first environment only) are the Flux objects
 * that record each new build in that environment's overlay.
 */
export function fluxDocuments(options: {
  name: string;
  environment: string;
  namespace: string;
  url: string;
  private?: boolean;
  imageAutomation?: ManifestObject[];
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
    ...(options.private
      ? [
          ` The repository is private: create the ${gitSecretName(
            options.name,
          )} Secret first (flux create secret git ${gitSecretName(
            options.name,
          )} --url=${options.url}${
            options.imageAutomation
              ? ', with write access for image automation'
              : ''
          }).`,
        ]
      : []),
  ].join('\n');
  return [
    source,
    new YAML.Document(buildFluxKustomization(options)),
    ...(options.imageAutomation ?? []).map(object => new YAML.Document(object)),
  ];
}
