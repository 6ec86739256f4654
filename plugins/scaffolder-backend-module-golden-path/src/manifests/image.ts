import YAML from 'yaml';
import { ManifestObject, appLabels } from './common';
import { FLUX_NAMESPACE } from './flux';
import { SERVICE_VERSION_ENV } from './workload';

/**
 * How an image gets from CI to each environment. CI pushes `<repository>:main-<sha>-<unix time>` on every push to
 * `main`; in the first environment Flux image automation writes the newest such tag and its digest into the overlay
 * (setter markers on the overlay's `images` entry); `deploy/promote.sh` copies an environment's tag and digest into
 * the next one (`kustomize edit set image`), which the promote workflow proposes as a pull request.
 */

/** The tag of every overlay until CI's first build is recorded there; CI pushes it along with the unique tag. */
export const INITIAL_TAG = 'main';

/** CI's unique tags, `main-<short sha>-<unix seconds>`; the ImagePolicy takes the newest by the timestamp. */
export const BUILD_TAG_PATTERN = '^main-[a-f0-9]+-(?P<ts>[0-9]+)$';

/** The image repository of a component: `<registry>/<name>`, which CI pushes to. */
export const imageRepository = (registry: string, name: string) =>
  `${registry}/${name}`;

/** The setter marker Flux's ImageUpdateAutomation looks for next to a field (`tag` or `digest`). */
export const imagePolicyMarker = (name: string, field: 'tag' | 'digest') =>
  ` {"$imagepolicy": "${FLUX_NAMESPACE}:${name}:${field}"}`;

/**
 * Adds or updates the overlay's kustomize `images` entry for `repository`. A tag or digest already there is kept:
 * after the first run they belong to Flux (first environment) or to the promotion. The first environment's entry
 * carries the setter markers and an empty digest for Flux to fill. Other entries are left alone.
 */
export function upsertImageEntry(
  doc: YAML.Document,
  options: { repository: string; name: string; automated: boolean },
): void {
  const { repository, name, automated } = options;
  let images = doc.get('images');
  if (!YAML.isSeq(images)) {
    images = doc.createNode([]) as YAML.YAMLSeq;
    doc.set('images', images);
  }
  const seq = images as YAML.YAMLSeq;
  let entry = seq.items.find(
    item => YAML.isMap(item) && item.get('name') === repository,
  ) as YAML.YAMLMap | undefined;
  if (!entry) {
    entry = doc.createNode({ name: repository }) as YAML.YAMLMap;
    seq.items.push(entry);
  }
  if (!entry.has('newTag') && !entry.has('digest')) {
    entry.set('newTag', INITIAL_TAG);
  }
  if (automated) {
    if (!entry.has('newTag')) {
      entry.set('newTag', INITIAL_TAG);
    }
    if (!entry.has('digest')) {
      entry.set('digest', '');
    }
    for (const field of ['tag', 'digest'] as const) {
      const key = field === 'tag' ? 'newTag' : 'digest';
      let node = entry.get(key, true);
      if (!YAML.isScalar(node)) {
        node = new YAML.Scalar(entry.get(key) ?? '');
        entry.set(key, node);
      }
      (node as YAML.Scalar).comment = imagePolicyMarker(name, field);
      if (field === 'digest' && (node as YAML.Scalar).value === '') {
        // Quoted, so the empty value survives any YAML tool.
        (node as YAML.Scalar).type = 'QUOTE_DOUBLE';
      }
    }
  }
}

/**
 * Kustomize replacements that set the container's `SERVICE_VERSION` (and so the `service.version` resource attribute)
 * to the tag the overlay deploys: first the image without its digest (`<repository>:<tag>`), then the part after the
 * repository's own colons (a registry port has one).
 */
export function serviceVersionReplacements(
  name: string,
  repository: string,
): object[] {
  // A fresh object each time: a shared one would be written as a YAML anchor and alias.
  const select = () => ({ kind: 'Deployment', name });
  const container = `spec.template.spec.containers.[name=${name}]`;
  const version = `${container}.env.[name=${SERVICE_VERSION_ENV}].value`;
  return [
    {
      source: {
        ...select(),
        fieldPath: `${container}.image`,
        options: { delimiter: '@', index: 0 },
      },
      targets: [{ select: select(), fieldPaths: [version] }],
    },
    {
      source: {
        ...select(),
        fieldPath: version,
        options: { delimiter: ':', index: repository.split(':').length },
      },
      targets: [{ select: select(), fieldPaths: [version] }],
    },
  ];
}

/** True for a replacement this module writes, so a re-run replaces rather than duplicates them. */
export function isServiceVersionReplacement(entry: any): boolean {
  return (
    Array.isArray(entry?.targets) &&
    entry.targets.some((target: any) =>
      (target?.fieldPaths ?? []).some(
        (path: unknown) =>
          typeof path === 'string' &&
          path.endsWith(`.env.[name=${SERVICE_VERSION_ENV}].value`),
      ),
    )
  );
}

/** Flux scans the repository for new tags; `secretRef` when the registry needs credentials. */
export function buildImageRepository(options: {
  name: string;
  repository: string;
  pullSecret?: string;
}): ManifestObject {
  return {
    apiVersion: 'image.toolkit.fluxcd.io/v1',
    kind: 'ImageRepository',
    metadata: {
      name: options.name,
      namespace: FLUX_NAMESPACE,
      labels: appLabels(options.name),
    },
    spec: {
      image: options.repository,
      interval: '5m',
      ...(options.pullSecret
        ? { secretRef: { name: options.pullSecret } }
        : {}),
    },
  };
}

/** Picks CI's newest build by its timestamp and reflects its digest, which the digest setter writes. */
export function buildImagePolicy(options: { name: string }): ManifestObject {
  return {
    apiVersion: 'image.toolkit.fluxcd.io/v1',
    kind: 'ImagePolicy',
    metadata: {
      name: options.name,
      namespace: FLUX_NAMESPACE,
      labels: appLabels(options.name),
    },
    spec: {
      imageRepositoryRef: { name: options.name },
      filterTags: { pattern: BUILD_TAG_PATTERN, extract: '$ts' },
      policy: { numerical: { order: 'asc' } },
      digestReflectionPolicy: 'Always',
      interval: '5m',
    },
  };
}

/**
 * Commits the newest build's tag and digest to `main`, in the first environment's overlay only (where the setter
 * markers are). It pushes with the GitRepository's credentials, so they need write access.
 */
export function buildImageUpdateAutomation(options: {
  name: string;
  overlayPath: string;
}): ManifestObject {
  return {
    apiVersion: 'image.toolkit.fluxcd.io/v1',
    kind: 'ImageUpdateAutomation',
    metadata: {
      name: options.name,
      namespace: FLUX_NAMESPACE,
      labels: appLabels(options.name),
    },
    spec: {
      interval: '5m',
      sourceRef: { kind: 'GitRepository', name: options.name },
      git: {
        checkout: { ref: { branch: 'main' } },
        commit: {
          author: {
            name: 'fluxcdbot',
            email: 'fluxcdbot@users.noreply.github.com',
          },
          messageTemplate: `deploy(${options.name}): {{range .Changed.Changes}}{{println .OldValue "->" .NewValue}}{{end}}`,
        },
        push: { branch: 'main' },
      },
      update: { path: `./${options.overlayPath}`, strategy: 'Setters' },
      policySelector: {
        matchLabels: { 'app.kubernetes.io/name': options.name },
      },
    },
  };
}
