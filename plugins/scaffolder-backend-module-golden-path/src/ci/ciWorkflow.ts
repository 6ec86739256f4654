import { InputError } from '@backstage/errors';
import YAML, { isMap, isScalar, Pair, YAMLMap } from 'yaml';
import { uses } from './actionPins';

/** The workflow golden-path:ci completes: the template renders its language jobs there, the action adds the rest. */
export const CI_WORKFLOW_FILE = '.github/workflows/ci.yaml';

/** Jobs golden-path:ci owns; a template's own jobs must be named otherwise. */
export const SHARED_JOB_IDS = ['gitleaks', 'image'] as const;

// Every repository runs the same trigger, permissions and concurrency; `${{ }}` here are GitHub expressions.
const HEADER = `# Written by golden-path:ci around the template's own build and test jobs, which it keeps as they are.
# Every action is pinned by commit SHA (the release in the comment); Dependabot proposes updates.
name: ci

on:
  push:
    branches: [main]
  pull_request:

permissions:
  contents: read

concurrency:
  group: ci-\${{ github.ref }}
  cancel-in-progress: \${{ github.event_name == 'pull_request' }}
`;

const GITLEAKS_JOB = `
name: secret scan
runs-on: ubuntu-latest
env:
  GITLEAKS_VERSION: 8.30.1
steps:
  - uses: ${uses('actions/checkout')}
    with:
      fetch-depth: 0 # scan the whole history, not just the last commit
      persist-credentials: false
  - name: Install gitleaks
    working-directory: \${{ runner.temp }}
    run: |
      base="https://github.com/gitleaks/gitleaks/releases/download/v\${GITLEAKS_VERSION}"
      tarball="gitleaks_\${GITLEAKS_VERSION}_linux_x64.tar.gz"
      curl -sSfLO "$base/$tarball"
      curl -sSfL "$base/gitleaks_\${GITLEAKS_VERSION}_checksums.txt" | grep " $tarball\\$" | sha256sum --check
      tar -xzf "$tarball" gitleaks
  # Uses .gitleaks.toml from the repository root when present.
  - name: gitleaks git
    run: '"$RUNNER_TEMP/gitleaks" git --redact --verbose --exit-code 1 .'
`;

// Build once into the runner's Docker and scan that: an image with a fixable critical vulnerability never reaches
// the registry, so Flux never sees it. Then the same build (all layers from the cache) is pushed with its SBOM and
// SLSA provenance attached, and its digest signed keylessly with the job's GitHub OIDC identity.
const IMAGE_JOB = `
name: image (build, scan, push with SBOM and provenance, sign)
runs-on: ubuntu-latest
permissions:
  contents: read
  packages: write # push on main; pull requests only build and scan
  id-token: write # keyless signing: cosign trades the job's OIDC token for a short-lived Sigstore certificate
steps:
  - uses: ${uses('actions/checkout')}
    with:
      persist-credentials: false
  # deploy/release.env (written by golden-path:deploy from the platform policy) names the image repository.
  - id: release
    name: Image repository and build tag
    run: |
      image="$(sed -n 's/^IMAGE=//p' deploy/release.env)"
      if [ -z "$image" ]; then
        echo "::error::deploy/release.env names no IMAGE"
        exit 1
      fi
      {
        echo "image=$image"
        echo "registry=\${image%%/*}"
        # main-<sha>-<unix time>: Flux's ImagePolicy records the newest build in the first environment.
        echo "tag=main-\${GITHUB_SHA::7}-$(date +%s)"
      } >> "$GITHUB_OUTPUT"
  - uses: ${uses('docker/setup-buildx-action')}
  - id: meta
    uses: ${uses('docker/metadata-action')}
    with:
      images: \${{ steps.release.outputs.image }}
      tags: |
        type=raw,value=\${{ steps.release.outputs.tag }},enable={{is_default_branch}}
        type=raw,value=main,enable={{is_default_branch}}
        type=ref,event=pr
  - name: Build for the vulnerability scan
    uses: ${uses('docker/build-push-action')}
    with:
      context: .
      load: true
      push: false
      tags: local/scan:\${{ github.sha }}
      cache-from: type=gha
      cache-to: type=gha,mode=max
  - name: Vulnerability gate (fixable critical findings fail the build)
    uses: ${uses('aquasecurity/trivy-action')}
    with:
      image-ref: local/scan:\${{ github.sha }}
      severity: CRITICAL
      ignore-unfixed: true
      exit-code: '1'
  - if: github.event_name != 'pull_request'
    uses: ${uses('docker/login-action')}
    with:
      registry: \${{ steps.release.outputs.registry }}
      # ghcr.io takes the workflow's token; other registries the REGISTRY_USERNAME and REGISTRY_PASSWORD secrets.
      username: \${{ steps.release.outputs.registry == 'ghcr.io' && github.actor || secrets.REGISTRY_USERNAME }}
      password: \${{ steps.release.outputs.registry == 'ghcr.io' && secrets.GITHUB_TOKEN || secrets.REGISTRY_PASSWORD }}
  - id: build
    name: Push with SBOM and provenance attached
    if: github.event_name != 'pull_request'
    uses: ${uses('docker/build-push-action')}
    with:
      context: .
      push: true
      sbom: true
      provenance: mode=max
      tags: \${{ steps.meta.outputs.tags }}
      labels: \${{ steps.meta.outputs.labels }}
      cache-from: type=gha
  - if: github.event_name != 'pull_request'
    uses: ${uses('sigstore/cosign-installer')}
  - name: Sign the digest (keyless) and verify it as a user would
    if: github.event_name != 'pull_request'
    env:
      IMAGE: \${{ steps.release.outputs.image }}
      DIGEST: \${{ steps.build.outputs.digest }}
    run: |
      cosign sign --yes "$IMAGE@$DIGEST"
      cosign verify "$IMAGE@$DIGEST" \\
        --certificate-identity "$GITHUB_SERVER_URL/$GITHUB_WORKFLOW_REF" \\
        --certificate-oidc-issuer https://token.actions.githubusercontent.com > /dev/null
  - if: github.event_name != 'pull_request'
    name: Summary
    env:
      IMAGE: \${{ steps.release.outputs.image }}
      TAG: \${{ steps.release.outputs.tag }}
      DIGEST: \${{ steps.build.outputs.digest }}
    run: |
      {
        echo "Pushed \\\`$IMAGE:$TAG@$DIGEST\\\` (SBOM and provenance attached, signed by $GITHUB_WORKFLOW_REF)."
        echo "Flux records it in the first environment; the promote workflow proposes it for the next."
      } >> "$GITHUB_STEP_SUMMARY"
`;

/**
 * The template's own jobs in `existing` (the rendered ci.yaml), or an InputError saying what the template must
 * render there. golden-path:wire calls it before the first file is written.
 */
export function templateJobs(existing: string | undefined): {
  own: Pair[];
  ownIds: string[];
} {
  if (existing === undefined) {
    throw new InputError(
      `${CI_WORKFLOW_FILE} is missing: the template must render its own build and test jobs there (a jobs: map); golden-path:ci adds the shared header and jobs`,
    );
  }
  const template = YAML.parseDocument(existing);
  if (template.errors.length > 0) {
    throw new InputError(
      `${CI_WORKFLOW_FILE} is not valid YAML: ${template.errors[0].message}`,
    );
  }
  const jobs = template.get('jobs');
  if (!isMap(jobs)) {
    throw new InputError(
      `${CI_WORKFLOW_FILE} must have a jobs: map with the template's build and test jobs; golden-path:ci adds the shared ones`,
    );
  }
  const id = (pair: Pair) =>
    String(isScalar(pair.key) ? pair.key.value : pair.key);
  const own = (jobs as YAMLMap).items.filter(
    pair => !(SHARED_JOB_IDS as readonly string[]).includes(id(pair)),
  ) as Pair[];
  if (own.length === 0) {
    throw new InputError(
      `${CI_WORKFLOW_FILE} has no build or test job of its own (only ${SHARED_JOB_IDS.join(
        ', ',
      )}, which golden-path:ci writes): the image would be pushed untested`,
    );
  }
  return { own, ownIds: own.map(id) };
}

/**
 * The complete CI workflow: the shared header, the template's own jobs from `existing` (comments kept), the secret
 * scan, and the image job, which waits for all of them. Running it on its own output gives the same text.
 */
export function composeCiWorkflow(existing: string | undefined): string {
  const { own, ownIds } = templateJobs(existing);
  const workflow = YAML.parseDocument(HEADER);
  const allJobs = new YAMLMap();
  allJobs.items.push(...own);
  allJobs.items.push(
    new Pair(
      workflow.createNode('gitleaks'),
      YAML.parseDocument(GITLEAKS_JOB).contents,
    ),
  );
  const image = YAML.parseDocument(IMAGE_JOB);
  const needs = image.createNode([...ownIds, 'gitleaks'], { flow: true });
  (image.contents as YAMLMap).items.splice(
    1,
    0,
    new Pair(image.createNode('needs'), needs),
  );
  allJobs.items.push(new Pair(workflow.createNode('image'), image.contents));
  // A blank line before each job, as people write workflows.
  allJobs.items.forEach((pair, index) => {
    if (isScalar(pair.key)) pair.key.spaceBefore = index > 0;
  });
  const jobsKey = workflow.createNode('jobs');
  jobsKey.spaceBefore = true;
  (workflow.contents as YAMLMap).items.push(new Pair(jobsKey, allJobs));
  return workflow.toString({ lineWidth: 0, flowCollectionPadding: false });
}
