import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import {
  ComplianceState,
  CostTagFinding,
  RuntimeState,
} from '@golden-path/common';

const useStyles = makeStyles(theme => ({
  ok: {
    backgroundColor: theme.palette.success.main,
    color: theme.palette.success.contrastText,
  },
  warning: {
    backgroundColor: theme.palette.warning.main,
    color: theme.palette.warning.contrastText,
  },
  error: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
}));

const COMPLIANCE: Record<
  ComplianceState,
  { label: string; tone: 'ok' | 'warning' | 'error' }
> = {
  compliant: { label: 'Compliant', tone: 'ok' },
  'missing-tags': { label: 'Missing tags', tone: 'error' },
  'invalid-tags': { label: 'Invalid tags', tone: 'warning' },
};

/** Whether a component carries every required cost tag with a valid value. */
export function ComplianceChip(props: { state: ComplianceState }) {
  const classes = useStyles();
  const { label, tone } = COMPLIANCE[props.state] ?? {
    label: props.state,
    tone: 'warning',
  };
  return <Chip size="small" label={label} className={classes[tone]} />;
}

const TAG_STATUS: Record<
  CostTagFinding['status'],
  { label: string; tone: 'ok' | 'warning' | 'error' }
> = {
  ok: { label: 'OK', tone: 'ok' },
  missing: { label: 'Missing', tone: 'error' },
  invalid: { label: 'Invalid', tone: 'warning' },
};

/** The status of one cost tag. */
export function CostTagStatusChip(props: { status: CostTagFinding['status'] }) {
  const classes = useStyles();
  const { label, tone } = TAG_STATUS[props.status];
  return <Chip size="small" label={label} className={classes[tone]} />;
}

const RUNTIME: Record<
  RuntimeState,
  { label: string; tone: 'ok' | 'warning' | 'error' | undefined }
> = {
  running: { label: 'Running', tone: 'ok' },
  degraded: { label: 'Degraded', tone: 'error' },
  'not-deployed': { label: 'Not deployed', tone: 'warning' },
  unreachable: { label: 'Unreachable', tone: 'error' },
  'no-cluster': { label: 'No cluster', tone: undefined },
};

/** Whether a component runs in one environment; `drift` turns a running one into a warning. */
export function RuntimeChip(props: {
  environment?: string;
  state: RuntimeState;
  drift?: boolean;
  replicas?: string;
}) {
  const classes = useStyles();
  const { label, tone } = RUNTIME[props.state];
  const shownTone = props.state === 'running' && props.drift ? 'warning' : tone;
  const text = [
    props.environment,
    props.state === 'running' && props.drift ? 'Drift' : label,
    props.replicas,
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <Chip
      size="small"
      label={text}
      className={shownTone ? classes[shownTone] : undefined}
    />
  );
}
