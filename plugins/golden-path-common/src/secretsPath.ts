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

/**
 * The key under which a secret's initial value travels in the scaffolder's task secrets (never in parameters):
 * `<NAME>@<environment>` for one environment, `<NAME>` for every environment without a value of its own. The
 * SecretValues form field writes these keys and golden-path:secrets:seed reads them; API callers send them in
 * `secrets` of `POST /api/scaffolder/v2/tasks`.
 */
export function secretValueKey(name: string, environment?: string): string {
  return environment === undefined ? name : `${name}@${environment}`;
}

/** The longest initial secret value accepted: AWS Secrets Manager's limit, 64 KiB. */
export const MAX_SECRET_VALUE_BYTES = 65536;

/**
 * Why a secret value cannot be stored (a sentence completion), or undefined when it can: one line (a newline would
 * break the `.env` and file forms the services read), at most {@link MAX_SECRET_VALUE_BYTES} bytes.
 */
export function secretValueProblem(value: string): string | undefined {
  if (/[\r\n]/.test(value)) {
    return 'must be a single line: it contains a line break';
  }
  const bytes = new TextEncoder().encode(value).length;
  if (bytes > MAX_SECRET_VALUE_BYTES) {
    return `is ${bytes} bytes long; the limit is ${MAX_SECRET_VALUE_BYTES}`;
  }
  return undefined;
}
