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
