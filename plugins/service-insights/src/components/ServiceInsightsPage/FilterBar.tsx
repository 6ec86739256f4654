import Checkbox from '@material-ui/core/Checkbox';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormGroup from '@material-ui/core/FormGroup';
import FormLabel from '@material-ui/core/FormLabel';
import TextField from '@material-ui/core/TextField';
import { makeStyles } from '@material-ui/core/styles';
import {
  FilterOptionsResponse,
  SERVICE_FILTER_PARAMETERS,
} from '@golden-path/common';
import { ChangeEvent, useEffect, useMemo, useState } from 'react';
import useDebounce from 'react-use/esm/useDebounce';
import { ComplianceFilter, ServiceFilters } from '../../api';
import { refLabel } from '../shared';

const useStyles = makeStyles(theme => ({
  bar: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    alignItems: 'flex-end',
  },
  select: {
    minWidth: 160,
  },
  search: {
    minWidth: 240,
  },
}));

const COMPLIANCE_LABELS: Record<ComplianceFilter, string> = {
  compliant: 'Compliant',
  noncompliant: 'Not compliant (missing or invalid)',
  'missing-tags': 'Missing tags',
  'invalid-tags': 'Invalid tags',
};

const DEFAULT_TYPES = ['service', 'worker'];

/** Filters and free-text search for the dashboard; every change goes to the URL. */
export function FilterBar(props: {
  filters: ServiceFilters;
  options?: FilterOptionsResponse;
  onChange: (filters: Partial<ServiceFilters>) => void;
}) {
  const { filters, options, onChange } = props;
  const classes = useStyles();
  const teams = useMemo(() => teamOptions(options?.teams ?? []), [options]);
  const types = options?.types?.length ? options.types : DEFAULT_TYPES;

  // One value per select; a shared URL may carry several (`costCenter=a,b`), shown as one option.
  const select = (
    field: 'team' | 'costCenters' | 'environments' | 'lifecycles',
    label: string,
    values: Array<{ value: string; label: string }>,
    helperText?: string,
  ) => {
    const parameter = SERVICE_FILTER_PARAMETERS[field];
    const current = filters[field];
    const value = Array.isArray(current) ? current.join(',') : current;
    return (
      <TextField
        select
        id={`service-insights-filter-${parameter}`}
        label={label}
        value={value ?? ''}
        onChange={(e: ChangeEvent<HTMLInputElement>) => {
          const picked = e.target.value || undefined;
          onChange({
            [field]: field === 'team' || !picked ? picked : [picked],
          });
        }}
        SelectProps={{ native: true }}
        InputLabelProps={{ shrink: true }}
        helperText={helperText}
        className={classes.select}
      >
        <option value="">All</option>
        {withCurrent(values, value).map(option => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </TextField>
    );
  };

  const toggleType = (type: string, checked: boolean) => {
    const current = filters.types ?? [];
    const next = checked ? [...current, type] : current.filter(t => t !== type);
    onChange({ types: next.length > 0 ? next : undefined });
  };

  return (
    <div className={classes.bar}>
      <SearchField value={filters.q ?? ''} onChange={q => onChange({ q })} />
      {select('team', 'Team', teams, 'Includes its child teams')}
      {select('costCenters', 'Cost center', plain(options?.costCenters ?? []))}
      {select(
        'environments',
        'Environment',
        plain(options?.environments ?? []),
      )}
      {select('lifecycles', 'Lifecycle', plain(options?.lifecycles ?? []))}
      <TextField
        select
        id="service-insights-filter-compliance"
        label="Compliance"
        value={filters.compliance?.join(',') ?? ''}
        onChange={(e: ChangeEvent<HTMLInputElement>) =>
          onChange({
            compliance: e.target.value
              ? [e.target.value as ComplianceFilter]
              : undefined,
          })
        }
        SelectProps={{ native: true }}
        InputLabelProps={{ shrink: true }}
        className={classes.select}
      >
        <option value="">All</option>
        {(Object.keys(COMPLIANCE_LABELS) as ComplianceFilter[]).map(value => (
          <option key={value} value={value}>
            {COMPLIANCE_LABELS[value]}
          </option>
        ))}
      </TextField>
      <FormControl component="fieldset">
        <FormLabel component="legend">Type</FormLabel>
        <FormGroup row>
          {types.map(type => (
            <FormControlLabel
              key={type}
              label={type}
              control={
                <Checkbox
                  size="small"
                  checked={filters.types?.includes(type) ?? false}
                  onChange={(_, checked) => toggleType(type, checked)}
                />
              }
            />
          ))}
        </FormGroup>
      </FormControl>
    </div>
  );
}

/** Free-text search; typing updates the URL after a short pause, Enter at once. */
function SearchField(props: { value: string; onChange: (q: string) => void }) {
  const { value, onChange } = props;
  const classes = useStyles();
  const [text, setText] = useState(value);
  // Follow the URL when it changes from elsewhere (back button, a shared link).
  useEffect(() => setText(value), [value]);
  useDebounce(
    () => {
      if (text.trim() !== value) {
        onChange(text.trim());
      }
    },
    400,
    [text],
  );
  return (
    <TextField
      id="service-insights-search"
      label="Search"
      placeholder="Name, owner, system, tag…"
      type="search"
      value={text}
      onChange={e => setText(e.target.value)}
      onKeyDown={e => {
        if (e.key === 'Enter' && text.trim() !== value) {
          onChange(text.trim());
        }
      }}
      InputLabelProps={{ shrink: true }}
      className={classes.search}
    />
  );
}

function plain(values: string[]) {
  return values.map(value => ({ value, label: value }));
}

/** A value from a shared URL stays selectable even when the options do not (yet) list it. */
function withCurrent(
  values: Array<{ value: string; label: string }>,
  current?: string,
) {
  return current && !values.some(option => option.value === current)
    ? [...values, { value: current, label: current }]
    : values;
}

/** Teams as a tree: each team follows its parent, indented by depth. */
function teamOptions(teams: FilterOptionsResponse['teams']) {
  const refs = new Set(teams.map(team => team.ref));
  const children = new Map<string | undefined, typeof teams>();
  for (const team of teams) {
    const parent =
      team.parent && refs.has(team.parent) ? team.parent : undefined;
    children.set(parent, [...(children.get(parent) ?? []), team]);
  }
  const result: Array<{ value: string; label: string }> = [];
  const seen = new Set<string>();
  const visit = (parent: string | undefined, depth: number) => {
    const sorted = [...(children.get(parent) ?? [])].sort((a, b) =>
      labelOf(a).localeCompare(labelOf(b)),
    );
    for (const team of sorted) {
      if (seen.has(team.ref)) {
        continue;
      }
      seen.add(team.ref);
      result.push({
        value: team.ref,
        label: `${'\u00a0\u00a0'.repeat(depth)}${labelOf(team)}`,
      });
      visit(team.ref, depth + 1);
    }
  };
  visit(undefined, 0);
  // Teams caught in a parent cycle have no root; list them rather than lose them.
  for (const team of teams) {
    if (!seen.has(team.ref)) {
      seen.add(team.ref);
      result.push({ value: team.ref, label: labelOf(team) });
    }
  }
  return result;
}

function labelOf(team: { ref: string; displayName?: string }) {
  return team.displayName ?? refLabel(team.ref, 'group');
}
