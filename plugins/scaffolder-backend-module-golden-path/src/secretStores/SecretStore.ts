import { SecretsProvider } from '@golden-path/common';

/** What {@link SecretStore.create} did: wrote a new secret, or found one and left it unchanged. */
export type SecretCreateResult = 'created' | 'exists';

/**
 * A secret manager that golden-path:secrets:seed writes initial secret values to, and that service insights asks
 * which secrets exist.
 *
 * Create-only: an existing secret is never overwritten (seeding gives a new component its first values; rotating
 * them is the secret manager's job), so `create` reports `'exists'` and changes nothing. A secret is created with
 * its value in one step (never empty first, then written), so a crash never leaves an empty secret that `exists`
 * would report forever. Implementations never put a value or a credential in an error message.
 */
export interface SecretStore {
  readonly provider: SecretsProvider;
  /** Where the secret at `path` lives, for logs; never contains a value or a credential. */
  describe(path: string): string;
  /**
   * Creates the secret at `path` with `value`, unless a secret exists there already.
   *
   * @param options - `requestId` identifies the caller's attempt (e.g. the scaffolder task id): a retry with the
   *   same id after a lost response counts as `'created'` where the store supports idempotent requests.
   */
  create(
    path: string,
    value: string,
    options?: { requestId?: string },
  ): Promise<SecretCreateResult>;
  /** Whether a secret exists at `path`. Reads metadata only, never a value. */
  exists(path: string): Promise<boolean>;
}

/**
 * Why `path` cannot be a secret path (a sentence completion), or undefined when it can: `/`-separated segments that
 * are non-empty and not `.` or `..`, no backslashes and no control characters. Stores check it so that a path can
 * never reach outside its directory, KV mount or name prefix.
 */
export function secretPathProblem(path: string): string | undefined {
  if (path === '') {
    return 'must not be empty';
  }
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(path)) {
    return 'must not contain backslashes or control characters';
  }
  if (path.split('/').some(segment => ['', '.', '..'].includes(segment))) {
    return 'must be "/"-separated names, none of them empty, "." or ".."';
  }
  return undefined;
}

/** Throws when `path` is not a valid secret path; see {@link secretPathProblem}. */
export function assertSecretPath(path: string): void {
  const problem = secretPathProblem(path);
  if (problem) {
    throw new TypeError(
      `Invalid secret path ${JSON.stringify(path)}: it ${problem}`,
    );
  }
}
