/**
 * Every GitHub action the golden path writes into a generated workflow, pinned by the full commit SHA of a release
 * (a tag can be moved to other code; a commit cannot) with the release as a comment, which Dependabot's
 * github-actions updates keep current. Each SHA is the commit the release tag points to in the action's repository.
 */
export const ACTION_PINS = {
  'actions/checkout': ['3d3c42e5aac5ba805825da76410c181273ba90b1', 'v7.0.1'],
  'actions/setup-go': ['b7ad1dad31e06c5925ef5d2fc7ad053ef454303e', 'v7.0.0'],
  'actions/setup-java': ['b6effb05e454b25005698d916606bdc6ffcbf961', 'v5.7.0'],
  'actions/setup-node': ['820762786026740c76f36085b0efc47a31fe5020', 'v7.0.0'],
  'docker/setup-buildx-action': [
    '37fe631027851001ddb9b187196cc803df7f5f0e',
    'v4.3.0',
  ],
  'docker/metadata-action': [
    'dc802804100637a589fabce1cb79ff13a1411302',
    'v6.2.0',
  ],
  'docker/login-action': ['4907a6ddec9925e35a0a9e82d7399ccc52663121', 'v4.1.0'],
  'docker/build-push-action': [
    '53b7df96c91f9c12dcc8a07bcb9ccacbed38856a',
    'v7.3.0',
  ],
  'aquasecurity/trivy-action': [
    'ed142fd0673e97e23eac54620cfb913e5ce36c25',
    'v0.36.0',
  ],
  'sigstore/cosign-installer': [
    '6f9f17788090df1f26f669e9d70d6ae9567deba6',
    'v4.1.2',
  ],
} as const satisfies Record<string, readonly [string, string]>;

export type PinnedAction = keyof typeof ACTION_PINS;

/** `owner/repo@<sha> # vX.Y.Z`, the value of a `uses:` line. */
export function uses(action: PinnedAction): string {
  const [sha, version] = ACTION_PINS[action];
  return `${action}@${sha} # ${version}`;
}
