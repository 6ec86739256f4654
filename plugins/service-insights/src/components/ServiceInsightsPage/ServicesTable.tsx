import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TablePagination from '@material-ui/core/TablePagination';
import TableRow from '@material-ui/core/TableRow';
import TableSortLabel from '@material-ui/core/TableSortLabel';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useApi } from '@backstage/core-plugin-api';
import { useEntityRefLink } from '@backstage/plugin-catalog-react';
import {
  ComponentRuntime,
  SERVICE_LIST_DEFAULTS,
  ServiceInsight,
  ServiceListResponse,
} from '@golden-path/common';
import useAsync from 'react-use/esm/useAsync';
import {
  ServiceSort,
  ServiceSortField,
  serviceInsightsApiRef,
} from '../../api';
import {
  ComplianceChip,
  EntityLinkTo,
  EntityLinks,
  RuntimeChip,
  SafeLink,
} from '../shared';

const useStyles = makeStyles(theme => ({
  tags: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
    fontSize: theme.typography.body2.fontSize,
  },
  problem: {
    color: theme.palette.error.main,
  },
  value: {
    fontFamily: 'monospace',
    overflowWrap: 'anywhere',
  },
  links: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
  },
  runtime: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
  },
}));

const COLUMNS: Array<{ title: string; sort?: ServiceSortField }> = [
  { title: 'Component', sort: 'name' },
  { title: 'Owner', sort: 'owner' },
  { title: 'System', sort: 'system' },
  { title: 'Lifecycle', sort: 'lifecycle' },
  // Sorted by cost center, the tag finance asks about.
  { title: 'Cost tags', sort: 'costCenter' },
  { title: 'Compliance', sort: 'compliance' },
  { title: 'Traces' },
  { title: 'Runs' },
];

export const PAGE_SIZES = [10, 25, 50, 100];

/**
 * Rows drawn in the first page's first frame: more than fit on a large screen below the dashboard's cards. The rest
 * of the page's rows follow a frame later, together with the pagination below them, so nothing on screen moves.
 */
export const FIRST_FRAME_ROWS = 10;

/**
 * One page of components, with server-side sorting and pagination. Without a `response` (the first page is still
 * on its way) it is the header alone: drawing it while the request is under way leaves less to draw once it answers.
 */
export function ServicesTable(props: {
  response?: ServiceListResponse;
  sort: Partial<ServiceSort>;
  onSort: (sort: ServiceSort) => void;
  onPage: (page: number, pageSize?: number) => void;
  /**
   * Whether the first rows are on screen: the page's other rows, the pagination below them and the request for
   * what runs where follow a frame after the first {@link FIRST_FRAME_ROWS} rows.
   */
  drawn?: boolean;
}) {
  const { response, sort, onSort, onPage, drawn = true } = props;
  const links = useEntityRefLink();
  const activeSort = sort.sort ?? SERVICE_LIST_DEFAULTS.sort;
  const activeOrder = sort.order ?? SERVICE_LIST_DEFAULTS.order;
  // What runs where, for this page only: one request, whatever the page size.
  const api = useApi(serviceInsightsApiRef);
  const refs = (drawn && response?.items.map(item => item.entityRef)) || [];
  const items = drawn
    ? response?.items
    : response?.items.slice(0, FIRST_FRAME_ROWS);
  const runtime = useAsync(() => api.getRuntime(refs), [api, refs.join('\n')]);

  return (
    <>
      <Table size="small" aria-label="Services">
        <TableHead>
          <TableRow>
            {COLUMNS.map(column => (
              <TableCell
                key={column.title}
                sortDirection={column.sort === activeSort ? activeOrder : false}
              >
                {column.sort ? (
                  <TableSortLabel
                    active={column.sort === activeSort}
                    direction={column.sort === activeSort ? activeOrder : 'asc'}
                    onClick={() =>
                      onSort({
                        sort: column.sort!,
                        order:
                          column.sort === activeSort && activeOrder === 'asc'
                            ? 'desc'
                            : 'asc',
                      })
                    }
                  >
                    {column.title}
                  </TableSortLabel>
                ) : (
                  column.title
                )}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {response?.items.length === 0 && (
            <TableRow>
              <TableCell colSpan={COLUMNS.length}>
                <Typography variant="body2" color="textSecondary">
                  No components match these filters.
                </Typography>
              </TableCell>
            </TableRow>
          )}
          {items?.map(item => (
            <ServiceRow
              key={item.entityRef}
              item={item}
              links={links}
              runtime={{
                loading: runtime.loading,
                error: runtime.error,
                value: runtime.value?.find(r => r.entityRef === item.entityRef),
              }}
            />
          ))}
        </TableBody>
      </Table>
      {drawn && response && (
        <TablePagination
          component="div"
          count={response.totalItems}
          page={visiblePage(response)}
          rowsPerPage={response.pageSize}
          rowsPerPageOptions={withPageSize(response.pageSize)}
          onPageChange={(_, page) => onPage(page + 1)}
          onRowsPerPageChange={e => onPage(1, Number(e.target.value))}
        />
      )}
    </>
  );
}

type RuntimeState = {
  loading: boolean;
  error?: Error;
  value?: ComponentRuntime;
};

function ServiceRow(props: {
  item: ServiceInsight;
  links: EntityLinks;
  runtime: RuntimeState;
}) {
  const { item, links } = props;
  const classes = useStyles();
  return (
    <TableRow>
      <TableCell>
        <EntityLinkTo
          links={links}
          entityRef={item.entityRef}
          defaultKind="component"
          title={item.title ?? item.name}
        />
      </TableCell>
      <TableCell>
        {item.owner.resolved ? (
          <EntityLinkTo
            links={links}
            entityRef={item.owner.ref}
            defaultKind="group"
            title={item.owner.displayName}
          />
        ) : (
          <span className={classes.problem} title="Not in the catalog">
            {item.owner.ref} (not in the catalog)
          </span>
        )}
      </TableCell>
      <TableCell>
        {item.system ? (
          <EntityLinkTo
            links={links}
            entityRef={item.system}
            defaultKind="system"
          />
        ) : (
          '—'
        )}
      </TableCell>
      <TableCell>{item.lifecycle ?? '—'}</TableCell>
      <TableCell>
        <ul className={classes.tags}>
          {item.costTags.map(finding => (
            <li
              key={finding.tag}
              className={finding.status === 'ok' ? undefined : classes.problem}
              title={finding.message}
            >
              {finding.tag}:{' '}
              <span className={classes.value}>
                {finding.value ?? finding.status}
              </span>
            </li>
          ))}
        </ul>
      </TableCell>
      <TableCell>
        <ComplianceChip state={item.compliance} />
      </TableCell>
      <TableCell>
        {item.tracing.links.length > 0 ? (
          <ul className={classes.links}>
            {item.tracing.links.map(link => (
              <li key={`${link.backend}-${link.title}`}>
                <SafeLink url={link.url}>{link.title}</SafeLink>
              </li>
            ))}
          </ul>
        ) : (
          <Typography variant="body2" color="textSecondary">
            {item.tracing.serviceName ? 'No backend' : 'Not traced'}
          </Typography>
        )}
      </TableCell>
      <TableCell>
        <RuntimeCell runtime={props.runtime} />
      </TableCell>
    </TableRow>
  );
}

/** One chip per environment with a cluster; the problems are in the chip's title and on the component's card. */
function RuntimeCell(props: { runtime: RuntimeState }) {
  const classes = useStyles();
  const { loading, error, value } = props.runtime;
  if (loading || error) {
    return (
      <Typography
        variant="body2"
        color="textSecondary"
        title={error ? error.message : undefined}
      >
        {loading ? 'Checking…' : 'Unavailable'}
      </Typography>
    );
  }
  const known = (value?.environments ?? []).filter(
    env => env.state !== 'no-cluster',
  );
  if (known.length === 0) {
    return (
      <Typography
        variant="body2"
        color="textSecondary"
        title="No Kubernetes cluster is configured for its environments"
      >
        —
      </Typography>
    );
  }
  return (
    <div className={classes.runtime}>
      {known.map(env => (
        <span
          key={env.environment}
          title={env.problems.map(p => p.message).join('\n') || undefined}
        >
          <RuntimeChip
            environment={env.environment}
            state={env.state}
            drift={env.problems.length > 0}
          />
        </span>
      ))}
    </div>
  );
}

// A shared URL may point past the last page once components are gone; show the last page's position then.
function visiblePage(response: ServiceListResponse) {
  const lastPage = Math.max(
    0,
    Math.ceil(response.totalItems / Math.max(1, response.pageSize)) - 1,
  );
  return Math.min(Math.max(0, response.page - 1), lastPage);
}

function withPageSize(pageSize: number) {
  return PAGE_SIZES.includes(pageSize)
    ? PAGE_SIZES
    : [...PAGE_SIZES, pageSize].sort((a, b) => a - b);
}
