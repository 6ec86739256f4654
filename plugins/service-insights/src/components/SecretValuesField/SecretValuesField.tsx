import {
  FieldExtensionComponentProps,
  useTemplateSecrets,
} from '@backstage/plugin-scaffolder-react';
import Checkbox from '@material-ui/core/Checkbox';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  secretNameProblem,
  secretValueKey,
  secretValueProblem,
} from '@golden-path/common';
import { useEffect, useRef, useState } from 'react';
import { useGoldenPathPolicy } from '../shared';
import { SecretValuesUiOptions, SecretValuesValue } from './validation';

const useStyles = makeStyles(theme => ({
  secret: { marginTop: theme.spacing(2) },
  inputs: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))',
    gap: theme.spacing(2),
  },
}));

/**
 * `ui:field: SecretValues`: one masked input per declared secret and environment of the policy, or one per secret
 * with "Same value in every environment" (the default). Values go only to the scaffolder's task secrets
 * (`<NAME>@<environment>`, or `<NAME>` for all; golden-path:secrets:seed reads them), never into the form's
 * parameters, which hold only which keys have a value. The secret names come from another field of the form
 * (`ui:options.secretsFrom`, default `secrets`).
 */
export function SecretValuesField(
  props: FieldExtensionComponentProps<SecretValuesValue, SecretValuesUiOptions>,
) {
  const {
    onChange,
    formContext,
    uiSchema,
    schema,
    disabled,
    readonly,
    idSchema,
  } = props;
  const classes = useStyles();
  const { policy, error: policyError } = useGoldenPathPolicy();
  const { secrets, setSecrets } = useTemplateSecrets();
  const secretsFrom = uiSchema?.['ui:options']?.secretsFrom ?? 'secrets';
  const declared: string[] = (
    Array.isArray(formContext?.formData?.[secretsFrom])
      ? (formContext.formData[secretsFrom] as unknown[])
      : []
  ).filter(
    (name, index, all): name is string =>
      secretNameProblem(name) === undefined && all.indexOf(name) === index,
  );
  const environments = policy?.deploy.environments ?? [];
  // Per secret: one value for every environment (default), unless the user chose per-environment values.
  const [perEnvironment, setPerEnvironment] = useState<Record<string, boolean>>(
    () =>
      Object.fromEntries(
        declared.map(name => [
          name,
          environments.some(env => secrets[secretValueKey(name, env)]),
        ]),
      ),
  );

  const keysOf = (name: string) =>
    perEnvironment[name]
      ? environments.map(env => secretValueKey(name, env))
      : [secretValueKey(name)];
  const activeKeys = declared.flatMap(keysOf);

  // The form value records which keys have a value and which are invalid; never a value.
  const summary = JSON.stringify(
    activeKeys
      .map(key => [key, secrets[key] ?? ''])
      .map(([key, value]) => [
        key,
        value !== '',
        value ? secretValueProblem(value) : undefined,
      ]),
  );
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => {
    const entries = JSON.parse(summary) as [string, boolean, string | null][];
    const invalid: Record<string, string> = {};
    for (const [key, , problem] of entries) {
      if (problem) {
        invalid[key] = problem;
      }
    }
    latest.current({
      provided: entries.filter(([, set]) => set).map(([key]) => key),
      ...(Object.keys(invalid).length > 0 ? { invalid } : {}),
    });
  }, [summary]);

  if (policyError || !policy) {
    return (
      <FormHelperText error>
        The goldenPath policy in app-config is invalid: {policyError?.message}
      </FormHelperText>
    );
  }

  const toggle = (name: string, separate: boolean) => {
    const all = secrets[secretValueKey(name)] ?? '';
    const first = secrets[secretValueKey(name, environments[0])] ?? '';
    // Carry the value over, and clear the keys no longer used so the backend never sees both forms.
    setSecrets(
      separate
        ? {
            [secretValueKey(name)]: '',
            ...Object.fromEntries(
              environments.map(env => [secretValueKey(name, env), all]),
            ),
          }
        : {
            [secretValueKey(name)]: first,
            ...Object.fromEntries(
              environments.map(env => [secretValueKey(name, env), '']),
            ),
          },
    );
    setPerEnvironment(current => ({ ...current, [name]: separate }));
  };

  return (
    <FormControl component="fieldset" fullWidth margin="normal">
      <FormLabel component="legend">
        {schema.title ?? 'Initial secret values'}
      </FormLabel>
      {schema.description && (
        <FormHelperText>{schema.description}</FormHelperText>
      )}
      {declared.length === 0 && (
        <Typography variant="body2" color="textSecondary">
          No secrets declared; add names above to give them initial values.
        </Typography>
      )}
      {declared.map(name => (
        <div key={name} className={classes.secret}>
          <Typography variant="subtitle2">{name}</Typography>
          <FormControlLabel
            control={
              <Checkbox
                checked={!perEnvironment[name]}
                onChange={event => toggle(name, !event.target.checked)}
                disabled={disabled || readonly}
                color="primary"
              />
            }
            label="Same value in every environment"
          />
          <div className={classes.inputs}>
            {keysOf(name).map(key => {
              const [, environment] = key.split('@');
              const value = secrets[key] ?? '';
              const problem = value ? secretValueProblem(value) : undefined;
              return (
                <TextField
                  key={key}
                  id={`${idSchema.$id}_${key.replace('@', '_')}`}
                  label={
                    environment
                      ? `${name} in ${environment}`
                      : `${name} (${environments.join(', ')})`
                  }
                  type="password"
                  autoComplete="new-password"
                  value={value}
                  error={problem !== undefined}
                  helperText={
                    problem ? `It ${problem}` : 'Leave empty to set it later'
                  }
                  disabled={disabled || readonly}
                  onChange={event => setSecrets({ [key]: event.target.value })}
                  variant="outlined"
                  size="small"
                />
              );
            })}
          </div>
        </div>
      ))}
    </FormControl>
  );
}
