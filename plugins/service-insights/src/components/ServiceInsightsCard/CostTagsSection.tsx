import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  CostTagFinding,
  GoldenPathPolicy,
  costTagFixHint,
} from '@golden-path/common';
import { CostTagStatusChip } from '../shared';

const useStyles = makeStyles(theme => ({
  problem: {
    backgroundColor: theme.palette.type === 'dark' ? '#4a2a2a' : '#fdecea',
  },
  problemDetail: {
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  value: {
    fontFamily: 'monospace',
    overflowWrap: 'anywhere',
  },
}));

/** Every cost tag the policy asks for, with its value and status; problems say what is wrong and how to fix it. */
export function CostTagsSection(props: {
  findings: CostTagFinding[];
  policy?: GoldenPathPolicy;
}) {
  const { findings, policy } = props;
  const classes = useStyles();
  if (findings.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        The cost-tag policy requires no tags.
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label="Cost tags">
      <TableHead>
        <TableRow>
          <TableCell>Tag</TableCell>
          <TableCell>Value</TableCell>
          <TableCell>Status</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {findings.flatMap(finding => {
          const problem = finding.status !== 'ok';
          const fix = problem && policy && costTagFixHint(policy, finding);
          const rows = [
            <TableRow
              key={finding.tag}
              className={problem ? classes.problem : undefined}
            >
              <TableCell>{finding.tag}</TableCell>
              <TableCell className={classes.value}>
                {finding.value ?? '—'}
              </TableCell>
              <TableCell>
                <CostTagStatusChip status={finding.status} />
              </TableCell>
            </TableRow>,
          ];
          if (problem) {
            rows.push(
              <TableRow
                key={`${finding.tag}-problem`}
                className={classes.problem}
              >
                <TableCell colSpan={3} className={classes.problemDetail}>
                  <Typography variant="body2" color="error">
                    {finding.message}
                  </Typography>
                  {finding.rule && (
                    <Typography variant="body2">
                      Rule: {finding.tag} {finding.rule}
                    </Typography>
                  )}
                  {fix && <Typography variant="body2">Fix: {fix}</Typography>}
                </TableCell>
              </TableRow>,
            );
          }
          return rows;
        })}
      </TableBody>
    </Table>
  );
}
