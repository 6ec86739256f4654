/**
 * The rule every generated component name must follow. It is the intersection of what the places a name ends up
 * in accept: a Kubernetes object name (RFC 1123 DNS label), a catalog entity name, a git repository name, a
 * directory name and a Go module path element.
 */
export const COMPONENT_NAME_RULE =
  'lowercase letters, digits and single hyphens, starting with a letter, ending with a letter or digit, at most 63 characters';

/** The longest valid component name (a Kubernetes object name / DNS label). */
export const COMPONENT_NAME_MAX_LENGTH = 63;

/** The name rule as a regular expression (with {@link COMPONENT_NAME_MAX_LENGTH}); one letter is a valid name. */
export const COMPONENT_NAME_PATTERN =
  /^[a-z]([a-z0-9]|-(?!-))*[a-z0-9]$|^[a-z]$/;

/** Why a component name breaks the rule, or undefined when it is valid. */
export function componentNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || name.length === 0) {
    return 'is required';
  }
  if (name.length > COMPONENT_NAME_MAX_LENGTH) {
    return `is ${name.length} characters long; the limit is ${COMPONENT_NAME_MAX_LENGTH}`;
  }
  if (name.includes('/') || name.includes('\\') || name.includes('..')) {
    return 'must not contain path separators or ".."';
  }
  if (name !== name.toLowerCase()) {
    return 'must be lowercase';
  }
  if (!COMPONENT_NAME_PATTERN.test(name)) {
    return `must use ${COMPONENT_NAME_RULE}`;
  }
  return undefined;
}

/** Throws an error naming the field and the rule when `name` is not a valid component name. */
export function assertValidComponentName(
  name: unknown,
  field = 'name',
): asserts name is string {
  const problem = componentNameProblem(name);
  if (problem) {
    throw new TypeError(
      `Invalid ${field} ${JSON.stringify(name)}: it ${problem}`,
    );
  }
}

/** The rule for declared secret names: they become file names under SECRETS_DIR and environment variable names. */
export const SECRET_NAME_RULE =
  'uppercase letters, digits and underscores, starting with a letter, at most 63 characters (e.g. DB_PASSWORD)';

/** The longest valid secret name. */
export const SECRET_NAME_MAX_LENGTH = 63;

/** {@link SECRET_NAME_RULE} as a regular expression (with {@link SECRET_NAME_MAX_LENGTH}). */
export const SECRET_NAME_PATTERN = /^[A-Z][A-Z0-9_]*$/;

/** Why a declared secret name breaks {@link SECRET_NAME_RULE}, or undefined when it is valid. */
export function secretNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || name.length === 0) {
    return 'is required';
  }
  if (name.length > SECRET_NAME_MAX_LENGTH || !SECRET_NAME_PATTERN.test(name)) {
    return `must use ${SECRET_NAME_RULE}`;
  }
  return undefined;
}
