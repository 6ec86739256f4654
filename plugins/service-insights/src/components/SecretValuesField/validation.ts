import { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';

/**
 * The field's form value. It never holds a secret value (those go to the task secrets): only which task-secret keys
 * have a value, and which hold a value that cannot be stored, with the rule it breaks.
 */
export type SecretValuesValue = {
  /** Task-secret keys that have a value, e.g. `DB_PASSWORD` (every environment) or `DB_PASSWORD@prod`. */
  provided?: string[];
  /** Keys whose value breaks a rule, with the rule, e.g. `{ 'DB_PASSWORD@prod': 'must be a single line ...' }`. */
  invalid?: Record<string, string>;
};

/** `ui:options` of the `SecretValues` field. */
export type SecretValuesUiOptions = {
  /** The form field holding the declared secret names. Default `secrets`. */
  secretsFrom?: string;
};

/** JSON schema of the field's value and options, shown by the template editor's field explorer. */
export const secretValuesFieldSchema = {
  returnValue: {
    type: 'object' as const,
    properties: {
      provided: { type: 'array' as const, items: { type: 'string' as const } },
      invalid: {
        type: 'object' as const,
        additionalProperties: { type: 'string' as const },
      },
    },
  },
  uiOptions: {
    type: 'object' as const,
    properties: {
      secretsFrom: {
        type: 'string' as const,
        description:
          'The form field holding the declared secret names (UPPER_SNAKE). Default: secrets.',
      },
    },
  },
};

/** Stops the step while a value cannot be stored, naming the secret, the environment and the rule. */
export const validateSecretValuesField: CustomFieldValidator<
  SecretValuesValue,
  SecretValuesUiOptions
> = (data, field) => {
  for (const [key, problem] of Object.entries(data?.invalid ?? {})) {
    const [name, environment] = key.split('@');
    field.addError(
      `${name}${
        environment ? ` for ${environment}` : ' (every environment)'
      } ${problem}`,
    );
  }
};
