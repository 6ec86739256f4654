import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import { ComplianceState, CostTagFinding } from '@golden-path/common';

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
