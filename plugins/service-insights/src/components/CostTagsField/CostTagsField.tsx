import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import FormControl from '@material-ui/core/FormControl';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';
import Link from '@material-ui/core/Link';
import TextField from '@material-ui/core/TextField';
import { makeStyles } from '@material-ui/core/styles';
import {
  CostTagPolicy,
  costTagRuleText,
  validateCostTags,
} from '@golden-path/common';
import { useEffect, useRef, useState } from 'react';
import { useGoldenPathPolicy } from '../shared';
import { CostTagsUiOptions, CostTagsValue, teamOfOwner } from './validation';

const useStyles = makeStyles(theme => ({
  inputs: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(240px, 1fr))',
    gap: theme.spacing(2),
    marginTop: theme.spacing(1),
  },
}));

type PropertySchema = { title?: string; description?: string };

/**
 * `ui:field: CostTags`: one input per cost tag of the policy in app-config: a dropdown where the rule is a list of
 * values, a text input with the pattern as helper text where it is a pattern. The team tag is pre-filled with the
 * name of the owner group picked elsewhere in the form, read from `formContext.formData` (the scaffolder passes the
 * state of every step there). Errors show per tag once a tag is left or the step was submitted.
 */
export function CostTagsField(
  props: FieldExtensionComponentProps<CostTagsValue, CostTagsUiOptions>,
) {
  const {
    formData,
    onChange,
    formContext,
    uiSchema,
    schema,
    rawErrors,
    errorSchema,
    disabled,
    readonly,
    idSchema,
  } = props;
  const classes = useStyles();
  const { policy, error: policyError } = useGoldenPathPolicy();
  const options = uiSchema?.['ui:options'] ?? {};
  const ownerField = options.ownerField ?? 'owner';
  const teamTag = options.teamTag ?? 'team';
  const ownerTeam = teamOfOwner(formContext?.formData?.[ownerField]);
  const value: CostTagsValue = formData ?? {};
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  // Errors from a submit attempt: ours (from the validation) on the field, or the form's own ones on a tag, such as
  // a template's `required: [team, ...]`, which stop the submit before our validation runs.
  const submitted =
    (rawErrors?.length ?? 0) > 0 ||
    Object.values(errorSchema ?? {}).some(
      errors =>
        typeof errors === 'object' &&
        errors !== null &&
        ((errors as { __errors?: unknown[] }).__errors?.length ?? 0) > 0,
    );

  // Pre-fill the team from the owner, and follow later owner changes unless the user typed a team of their own.
  const latest = useRef({ value, onChange });
  latest.current = { value, onChange };
  const prefilled = useRef<string | undefined>(undefined);
  const hasTeamTag = policy?.costTags.tags.some(tag => tag.name === teamTag);
  useEffect(() => {
    if (!hasTeamTag || !ownerTeam) {
      return;
    }
    const current = latest.current.value[teamTag];
    if (!current || current === prefilled.current) {
      prefilled.current = ownerTeam;
      if (current !== ownerTeam) {
        latest.current.onChange({
          ...latest.current.value,
          [teamTag]: ownerTeam,
        });
      }
    }
  }, [hasTeamTag, ownerTeam, teamTag]);

  if (policyError || !policy) {
    return (
      <FormHelperText error>
        The goldenPath policy in app-config is invalid: {policyError?.message}
      </FormHelperText>
    );
  }

  const findings = new Map(
    validateCostTags(policy, value).map(finding => [finding.tag, finding]),
  );
  const properties = (schema.properties ?? {}) as Record<
    string,
    PropertySchema | boolean
  >;
  const setTag = (tag: string, tagValue: string) =>
    onChange({ ...value, [tag]: tagValue });

  return (
    <FormControl
      component="fieldset"
      fullWidth
      margin="normal"
      error={submitted}
    >
      <FormLabel component="legend" required={props.required}>
        {schema.title ?? 'Cost tags'}
      </FormLabel>
      {schema.description && (
        <FormHelperText error={false}>{schema.description}</FormHelperText>
      )}
      <div className={classes.inputs}>
        {policy.costTags.tags.map(tag => {
          const property = properties[tag.name];
          const finding = findings.get(tag.name);
          const showError =
            (submitted || touched[tag.name]) &&
            finding !== undefined &&
            finding.status !== 'ok';
          return (
            <TagInput
              key={tag.name}
              id={`${idSchema.$id}_${tag.name}`}
              tag={tag}
              property={typeof property === 'object' ? property : undefined}
              value={value[tag.name] ?? ''}
              error={showError ? finding?.message : undefined}
              ownerTeam={tag.name === teamTag ? ownerTeam : undefined}
              disabled={disabled || readonly}
              onChange={tagValue => setTag(tag.name, tagValue)}
              onBlur={() => setTouched(t => ({ ...t, [tag.name]: true }))}
            />
          );
        })}
      </div>
    </FormControl>
  );
}

function TagInput(props: {
  id: string;
  tag: CostTagPolicy;
  property?: PropertySchema;
  value: string;
  error?: string;
  /** For the team tag: the team of the owner picked in the form. */
  ownerTeam?: string;
  disabled?: boolean;
  onChange: (value: string) => void;
  onBlur: () => void;
}) {
  const { id, tag, property, value, error, ownerTeam } = props;
  const label = property?.title ?? tag.name;
  const hint = [
    tag.rule?.kind === 'pattern' ? costTagRuleText(tag.rule) : undefined,
    ownerTeam && value === ownerTeam ? 'from the owner you picked' : undefined,
    property?.description,
  ]
    .filter(Boolean)
    .join(' · ');
  // The field remounts on each step, so after going back and changing the owner the old team stays: offer the new one.
  const ownerHint = ownerTeam && value !== '' && value !== ownerTeam && (
    <>
      {hint && `${hint} · `}The owner&apos;s team is {ownerTeam}.{' '}
      <Link
        component="button"
        type="button"
        variant="caption"
        onClick={() => props.onChange(ownerTeam)}
      >
        Use {ownerTeam}
      </Link>
    </>
  );
  const common = {
    id,
    label,
    value,
    disabled: props.disabled,
    error: error !== undefined,
    helperText: error ?? (ownerHint || hint || undefined),
    onBlur: props.onBlur,
    // The asterisk only: a native `required` would let the browser block the step with its own bubble before the
    // policy's messages (which say what a valid value looks like) are shown.
    InputLabelProps: { shrink: true, required: tag.required },
    fullWidth: true,
  };

  if (tag.rule?.kind === 'oneOf') {
    const values =
      tag.rule.values.includes(value) || value === ''
        ? tag.rule.values
        : [value, ...tag.rule.values];
    return (
      <TextField
        {...common}
        select
        SelectProps={{ native: true }}
        onChange={e => props.onChange(e.target.value)}
      >
        <option value="">Choose…</option>
        {values.map(option => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </TextField>
    );
  }
  return (
    <TextField
      {...common}
      onChange={e => props.onChange(e.target.value)}
      inputProps={{ spellCheck: false, autoComplete: 'off' }}
    />
  );
}
