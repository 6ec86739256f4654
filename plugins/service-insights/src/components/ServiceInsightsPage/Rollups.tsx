import LinearProgress from '@material-ui/core/LinearProgress';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TablePagination from '@material-ui/core/TablePagination';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { RollupRow } from '@golden-path/common';
import { useState } from 'react';
import { useEntityRefLink } from '@backstage/plugin-catalog-react';
import { EntityLinkTo } from '../shared';

const useStyles = makeStyles(theme => ({
  share: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    minWidth: 96,
  },
  bar: {
    flex: 1,
    height: 8,
    borderRadius: 4,
  },
  number: {
    minWidth: 72,
    textAlign: 'right',
    whiteSpace: 'nowrap',
  },
  problem: {
    color: theme.palette.error.main,
    fontWeight: theme.typography.fontWeightBold as number,
  },
  totals: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(4),
  },
}));

/** A share as a percentage, e.g. `67%`. */
export function percent(share: number): string {
  return `${Math.round((Number.isFinite(share) ? share : 0) * 100)}%`;
}

const PAGE_SIZES = [10, 25, 100];

/**
 * Roll-ups for one dimension (team or cost center): a table with a bar per share, which reads faster than numbers.
 * Paged: a large organisation has hundreds of teams and cost centers, and rendering them all at once froze the page.
 */
export function RollupTable(props: {
  title: string;
  rows: RollupRow[];
  linkToGroup?: boolean;
}) {
  const { title, rows, linkToGroup } = props;
  const classes = useStyles();
  const links = useEntityRefLink();
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState(PAGE_SIZES[0]);
  // Fewer rows after a filter change: stay on the last page there is.
  const shownPage = Math.min(
    page,
    Math.max(0, Math.ceil(rows.length / pageSize) - 1),
  );
  if (rows.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No components match these filters.
      </Typography>
    );
  }
  return (
    <>
      <Table size="small" aria-label={title}>
        <TableHead>
          <TableRow>
            <TableCell>{linkToGroup ? 'Team' : 'Cost center'}</TableCell>
            <TableCell align="right">Services</TableCell>
            <TableCell>Fully tagged</TableCell>
            <TableCell>Traced</TableCell>
            <TableCell align="right">Without owner</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows
            .slice(shownPage * pageSize, (shownPage + 1) * pageSize)
            .map(row => (
              <TableRow key={row.key || '(none)'}>
                <TableCell>
                  {linkToGroup && row.key ? (
                    <EntityLinkTo
                      links={links}
                      entityRef={row.key}
                      defaultKind="group"
                      title={row.title}
                    />
                  ) : (
                    row.title || '(none)'
                  )}
                </TableCell>
                <TableCell align="right">{row.services}</TableCell>
                <TableCell>
                  <ShareBar
                    label={`${row.title}: fully tagged`}
                    count={row.fullyTagged}
                    total={row.services}
                    share={row.fullyTaggedShare}
                  />
                </TableCell>
                <TableCell>
                  <ShareBar
                    label={`${row.title}: traced`}
                    count={row.traced}
                    total={row.services}
                    share={row.tracedShare}
                  />
                </TableCell>
                <TableCell
                  align="right"
                  className={
                    row.unresolvedOwner > 0 ? classes.problem : undefined
                  }
                >
                  {row.unresolvedOwner}
                </TableCell>
              </TableRow>
            ))}
        </TableBody>
      </Table>
      {rows.length > PAGE_SIZES[0] && (
        <TablePagination
          component="div"
          count={rows.length}
          page={shownPage}
          rowsPerPage={pageSize}
          rowsPerPageOptions={PAGE_SIZES}
          onPageChange={(_, next) => setPage(next)}
          onRowsPerPageChange={e => {
            setPageSize(Number(e.target.value));
            setPage(0);
          }}
        />
      )}
    </>
  );
}

function ShareBar(props: {
  label: string;
  count: number;
  total: number;
  share: number;
}) {
  const { label, count, total, share } = props;
  const classes = useStyles();
  const value = Math.min(100, Math.max(0, (share || 0) * 100));
  return (
    <div className={classes.share}>
      <LinearProgress
        variant="determinate"
        value={value}
        className={classes.bar}
        color={value < 100 ? 'secondary' : 'primary'}
        aria-label={label}
      />
      <Typography variant="body2" className={classes.number}>
        {percent(share)} ({count}/{total})
      </Typography>
    </div>
  );
}

/** The totals over every component matching the filters. */
export function RollupTotals(props: { totals: RollupRow }) {
  const { totals } = props;
  const classes = useStyles();
  const figures: Array<[string, string, boolean?]> = [
    ['Services', String(totals.services)],
    [
      'Fully tagged',
      `${percent(totals.fullyTaggedShare)} (${totals.fullyTagged})`,
    ],
    ['Traced', `${percent(totals.tracedShare)} (${totals.traced})`],
    [
      'Without a resolvable owner',
      String(totals.unresolvedOwner),
      totals.unresolvedOwner > 0,
    ],
  ];
  return (
    <dl className={classes.totals} aria-label="Totals">
      {figures.map(([label, value, problem]) => (
        <div key={label}>
          <Typography component="dt" variant="body2" color="textSecondary">
            {label}
          </Typography>
          <Typography
            component="dd"
            variant="h5"
            style={{ margin: 0 }}
            className={problem ? classes.problem : undefined}
          >
            {value}
          </Typography>
        </div>
      ))}
    </dl>
  );
}
