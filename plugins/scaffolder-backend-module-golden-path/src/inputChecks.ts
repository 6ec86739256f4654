import { InputError } from '@backstage/errors';
import {
  GoldenPathPolicy,
  componentNameProblem,
  secretNameProblem,
} from '@golden-path/common';

/** The error for an input that breaks a rule: names the field, shows the value, states the rule. */
export function invalidInput(
  field: string,
  value: unknown,
  problem: string,
): InputError {
  return new InputError(
    `Invalid ${field} ${JSON.stringify(value)}: it ${problem}`,
  );
}

/** Throws unless `name` is a valid component name. */
export function checkComponentName(name: unknown, field = 'name'): string {
  const problem = componentNameProblem(name);
  if (problem) {
    throw invalidInput(field, name, problem);
  }
  return name as string;
}

/** Throws unless every secret name follows the rule and none is declared twice. */
export function checkSecretNames(
  secrets: readonly unknown[],
  field = 'secrets',
): string[] {
  secrets.forEach((secret, index) => {
    const problem =
      secretNameProblem(secret) ??
      (secrets.indexOf(secret) < index ? 'is declared twice' : undefined);
    if (problem) {
      throw invalidInput(`${field}[${index}]`, secret, problem);
    }
  });
  return secrets as string[];
}

/**
 * Throws unless `environments` is a non-empty list of the policy's environments without repeats; returns them in
 * the policy's promotion order.
 */
export function checkEnvironments(
  environments: readonly unknown[],
  policy: Pick<GoldenPathPolicy, 'deploy'>,
  field = 'environments',
): string[] {
  const known = policy.deploy.environments;
  if (environments.length === 0) {
    throw new InputError(
      `Invalid ${field}: list at least one of ${known.join(
        ', ',
      )}, or leave it out for all of them`,
    );
  }
  environments.forEach((environment, index) => {
    let problem: string | undefined;
    if (typeof environment !== 'string' || !known.includes(environment)) {
      problem = `is not one of the policy's environments (${known.join(', ')})`;
    } else if (environments.indexOf(environment) < index) {
      problem = 'is listed twice';
    }
    if (problem) {
      throw invalidInput(`${field}[${index}]`, environment, problem);
    }
  });
  return known.filter(environment => environments.includes(environment));
}

/**
 * Why `name` is not a branch name git accepts, or undefined when it is: the rules of `git check-ref-format --branch`
 * (a name under `refs/heads/`). Checked before anything is written, so no name can reach outside `.git/refs`.
 */
export function gitBranchNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || name === '') {
    return 'is required';
  }
  if (name.length > 255) {
    return `is ${name.length} characters long; the limit is 255`;
  }
  if (name.startsWith('-')) {
    return 'must not start with "-"';
  }
  if (name === '@') {
    return 'must not be "@"';
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f~^:?*[\\]/.test(name)) {
    return 'must not contain spaces, control characters or any of ~ ^ : ? * [ \\';
  }
  if (name.includes('..') || name.includes('@{')) {
    return 'must not contain ".." or "@{"';
  }
  if (name.startsWith('/') || name.endsWith('/') || name.includes('//')) {
    return 'must not start or end with "/" or contain "//"';
  }
  if (name.endsWith('.')) {
    return 'must not end with "."';
  }
  const badComponent = name
    .split('/')
    .find(part => part.startsWith('.') || part.endsWith('.lock'));
  if (badComponent !== undefined) {
    return `has the part ${JSON.stringify(
      badComponent,
    )}: no part may start with "." or end with ".lock"`;
  }
  return undefined;
}
