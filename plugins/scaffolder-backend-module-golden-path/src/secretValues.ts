import { InputError } from '@backstage/errors';
import { secretValueKey, secretValueProblem } from '@golden-path/common';

/** The initial value of one declared secret in one environment, and the task secret it came from. */
export interface SecretValue {
  name: string;
  environment: string;
  /** The task secret holding the value, or undefined when there is none. */
  key?: string;
  value?: string;
}

/**
 * The initial value of each declared secret in each environment, from the task secrets: `<NAME>@<environment>`,
 * else `<NAME>` for every environment. Throws an InputError naming the secret, the environment and the task secret
 * (never the value) when a value cannot be stored, so bad values stop a run before anything is written.
 */
export function readSecretValues(
  secrets: Record<string, string> | undefined,
  declared: readonly string[],
  environments: readonly string[],
): SecretValue[] {
  return declared.flatMap(name =>
    environments.map(environment => {
      const key = [
        secretValueKey(name, environment),
        secretValueKey(name),
      ].find(k => (secrets?.[k] ?? '') !== '');
      if (key === undefined) {
        return { name, environment };
      }
      const value = secrets![key];
      const problem = secretValueProblem(value);
      if (problem) {
        throw new InputError(
          `Invalid value of secret ${name} for ${environment} (task secret ${key}): it ${problem}. Nothing was stored.`,
        );
      }
      return { name, environment, key, value };
    }),
  );
}
