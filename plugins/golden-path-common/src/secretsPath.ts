/** The placeholders a secrets path pattern may use. */
export const SECRETS_PATH_PLACEHOLDERS = [
  'environment',
  'component',
  'key',
] as const;

/** The values that fill a secrets path pattern. */
export type SecretsPathValues = Record<
  (typeof SECRETS_PATH_PLACEHOLDERS)[number],
  string
>;

const PLACEHOLDER = /\{([^{}]*)\}/g;
// Each component's secrets must get their own path, or two components would read each other's secrets.
const REQUIRED_PLACEHOLDERS = ['component', 'key'];

/**
 * Why `pattern` cannot be a secrets path pattern (a sentence completion such as `must contain {key}`), or undefined
 * when it can. A pattern uses only the placeholders in
 * {@link SECRETS_PATH_PLACEHOLDERS} and must contain `{component}` and `{key}`.
 */
export function secretsPathPatternProblem(pattern: string): string | undefined {
  const used = [...pattern.matchAll(PLACEHOLDER)].map(match => match[1]);
  const unknown = used.find(
    name => !(SECRETS_PATH_PLACEHOLDERS as readonly string[]).includes(name),
  );
  if (unknown !== undefined) {
    return `uses {${unknown}}, which is not a placeholder; use ${SECRETS_PATH_PLACEHOLDERS.map(
      name => `{${name}}`,
    ).join(', ')}`;
  }
  if (/[{}]/.test(pattern.replace(PLACEHOLDER, ''))) {
    return 'has an unbalanced "{" or "}"';
  }
  const missing = REQUIRED_PLACEHOLDERS.filter(name => !used.includes(name));
  if (missing.length > 0) {
    return `must contain ${missing.map(name => `{${name}}`).join(' and ')}`;
  }
  return undefined;
}

/**
 * Where a secret lives in the secret manager: the pattern with its placeholders filled, e.g.
 * `prod/payments-api/db-password` for `{environment}/{component}/{key}`. Throws when the pattern is invalid, or when
 * a value is empty or could escape its path segment (contains `/`, `\` or `..`).
 */
export function renderSecretsPath(
  pattern: string,
  values: SecretsPathValues,
): string {
  const problem = secretsPathPatternProblem(pattern);
  if (problem) {
    throw new TypeError(`Secrets path pattern '${pattern}' ${problem}`);
  }
  for (const [name, value] of Object.entries(values)) {
    if (
      typeof value !== 'string' ||
      value === '' ||
      /[/\\]/.test(value) ||
      value.includes('..')
    ) {
      throw new TypeError(
        `Invalid secrets path ${name} ${JSON.stringify(
          value,
        )}: it must be non-empty and must not contain "/", "\\" or ".."`,
      );
    }
  }
  return pattern.replace(
    PLACEHOLDER,
    (_, name: keyof SecretsPathValues) => values[name],
  );
}
