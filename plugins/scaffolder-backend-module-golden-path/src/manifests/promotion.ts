/**
 * The files that move an image from one environment to the next: `deploy/release.env` (the image repository and the
 * environments in promotion order, from the policy), `deploy/promote.sh` (the one command that promotes, run by the
 * workflow and by people alike) and `.github/workflows/promote.yaml` (opens the pull requests).
 */
import { uses } from '../ci/actionPins';

export const RELEASE_ENV_FILE = 'deploy/release.env';
export const PROMOTE_SCRIPT_FILE = 'deploy/promote.sh';
export const PROMOTE_WORKFLOW_FILE = '.github/workflows/promote.yaml';

/** The kustomize the promote workflow installs; the same version scripts/lib/toolchain.sh pins for the conformance run. */
export const PROMOTE_KUSTOMIZE_VERSION = 'v5.8.1';

/** `deploy/release.env`: sourced by promote.sh, read by CI for the image to push. */
export function releaseEnv(options: {
  repository: string;
  environments: readonly string[];
}): string {
  return [
    '# Written by golden-path:deploy from the goldenPath policy. CI pushes IMAGE; deploy/promote.sh promotes',
    '# along ENVIRONMENTS, in this order.',
    `IMAGE=${options.repository}`,
    `ENVIRONMENTS="${options.environments.join(' ')}"`,
    '',
  ].join('\n');
}

export const PROMOTE_SCRIPT = `#!/bin/sh
# Promotes the image an environment runs to the next one (ENVIRONMENTS in deploy/release.env): copies its tag and
# digest into the next overlay with \`kustomize edit set image\` and prints the name of that environment. Prints
# nothing when FROM is the last environment, has no digest yet, or the next one already runs the same image.
#   deploy/promote.sh dev        # then review, commit and open a pull request (the promote workflow does that)
# KUSTOMIZE names the kustomize binary (default: kustomize on PATH).
set -eu
cd "$(dirname "$0")/.."
. ./deploy/release.env
from="\${1:?usage: deploy/promote.sh <environment>}"
kustomize="\${KUSTOMIZE:-kustomize}"

to=""
found=""
for env in $ENVIRONMENTS; do
  if [ -n "$found" ]; then
    to="$env"
    break
  fi
  if [ "$env" = "$from" ]; then found=1; fi
done
if [ -z "$found" ]; then
  echo "promote: unknown environment '$from' (one of: $ENVIRONMENTS)" >&2
  exit 2
fi
if [ -z "$to" ]; then
  echo "promote: $from is the last environment" >&2
  exit 0
fi

# The image reference the environment's overlay renders, e.g. ghcr.io/acme/app:main-1a2b3c4-1700000000@sha256:...
image_of() {
  "$kustomize" build "deploy/overlays/$1" |
    awk -v image="$IMAGE" '$1 == "image:" && (index($2, image ":") == 1 || index($2, image "@") == 1) { print $2; exit }'
}

ref="$(image_of "$from")"
case "$ref" in
  *@sha256:*) ;;
  *)
    echo "promote: $from runs '$ref', which has no digest yet: nothing to promote until CI's first build is recorded" >&2
    exit 0
    ;;
esac
if [ "$(image_of "$to")" = "$ref" ]; then
  echo "promote: $to already runs $ref" >&2
  exit 0
fi
(cd "deploy/overlays/$to" && "$kustomize" edit set image "$IMAGE=$ref")
echo "$to"
`;

export const PROMOTE_WORKFLOW = `# Written by golden-path:deploy. Opens a pull request that moves an environment's image to the next environment
# (deploy/release.env). Runs when an overlay changes on main (Flux recording a new build in the first environment,
# or a merged promotion) and by hand for one environment. The pull request branch is promote/<environment>;
# a newer build updates the open pull request. Needs "Allow GitHub Actions to create pull requests" in the
# repository settings.
name: promote

on:
  push:
    branches: [main]
    paths: ['deploy/overlays/**']
  workflow_dispatch:
    inputs:
      from:
        description: Environment whose image moves to the next one
        required: true
        type: string

permissions:
  contents: write
  pull-requests: write

concurrency:
  group: promote
  cancel-in-progress: false

jobs:
  promote:
    name: open promotion pull requests
    runs-on: ubuntu-latest
    env:
      KUSTOMIZE_VERSION: ${PROMOTE_KUSTOMIZE_VERSION}
    steps:
      - uses: ${uses('actions/checkout')}
      - uses: ${uses('actions/setup-go')}
        with:
          go-version: stable
          cache: false
      - name: Install kustomize
        run: go install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION"
      - name: Promote
        env:
          GH_TOKEN: \${{ github.token }}
          FROM: \${{ inputs.from }}
        run: |
          . ./deploy/release.env
          sources="\${FROM:-$ENVIRONMENTS}"
          git config user.name 'github-actions[bot]'
          git config user.email '41898282+github-actions[bot]@users.noreply.github.com'
          for from in $sources; do
            git switch --quiet --detach "$GITHUB_SHA"
            to="$(deploy/promote.sh "$from")"
            if [ -z "$to" ]; then
              continue
            fi
            branch="promote/$to"
            git switch --quiet --force-create "$branch"
            git commit --quiet --all --message "deploy($to): promote the image $from runs"
            git push --quiet --force origin "$branch"
            if [ -z "$(gh pr list --head "$branch" --state open --json number --jq '.[].number')" ]; then
              gh pr create --base main --head "$branch" \\
                --title "Promote $from to $to" \\
                --body "Moves the image that $from runs to $to (deploy/overlays/$to). Merging deploys it: Flux applies the overlay."
            fi
          done
`;
