import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Grid from '@material-ui/core/Grid';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import {
  memo,
  startTransition,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { RollupRow } from '@golden-path/common';
import useAsync from 'react-use/esm/useAsync';
import {
  ServiceFilters,
  ServiceSort,
  TrendQuery,
  filtersOf,
  serviceInsightsApiRef,
} from '../../api';
import { ComplianceTrend } from '../ComplianceTrend';
import { PolicyErrorAlert, useGoldenPathPolicy } from '../shared';
import { ExportCsvButton } from './ExportCsvButton';
import { FilterBar } from './FilterBar';
import { RollupTable, RollupTotals } from './Rollups';
import { ServicesTable } from './ServicesTable';
import { TraceIdBox } from './TraceIdBox';
import { useDashboardQuery } from './useDashboardQuery';
import { ServiceListState } from './useServiceList';

type DashboardQuery = ReturnType<typeof useDashboardQuery>;

const TREND_QUERY: TrendQuery = { days: 90 };

const useStyles = makeStyles(theme => ({
  // The filters' place while the first page is drawn without them, so that the table does not move down when they
  // appear: two rows of fields, as they wrap on a laptop's screen (1400 px wide).
  filterBarSpace: {
    minHeight: theme.spacing(17),
  },
}));

// Each section re-renders only when its own data or the query changes: a roll-up or filter response arriving does
// not render the 25 rows of the components table again.
const MemoServicesTable = memo(ServicesTable);
const MemoFilterBar = memo(FilterBar);
const MemoRollupTable = memo(RollupTable);
const MemoRollupTotals = memo(RollupTotals);
const MemoComplianceTrend = memo(ComplianceTrend);
const MemoTraceIdBox = memo(TraceIdBox);

/** Filters, the page of components and the CSV export; the filter values load on their own. */
function ComponentsSection(props: {
  list: ServiceListState;
  /** The first page has been painted: the filters, export and pagination may be drawn now. */
  drawn: boolean;
  filters: ServiceFilters;
  sort: Partial<ServiceSort>;
  exportQuery: ServiceFilters & Partial<ServiceSort>;
  setFilters: DashboardQuery['setFilters'];
  setSort: DashboardQuery['setSort'];
  setPage: DashboardQuery['setPage'];
}) {
  const {
    list,
    drawn,
    filters,
    sort,
    exportQuery,
    setFilters,
    setSort,
    setPage,
  } = props;
  const api = useApi(serviceInsightsApiRef);
  const classes = useStyles();
  const options = useAsync(
    async () => (drawn ? api.getFilterOptions() : undefined),
    [api, drawn],
  );
  return (
    <InfoCard
      title="Components"
      action={drawn && <ExportCsvButton query={exportQuery} />}
    >
      {drawn ? (
        <MemoFilterBar
          filters={filters}
          options={options.value}
          onChange={setFilters}
        />
      ) : (
        <div className={classes.filterBarSpace} />
      )}
      {options.error && (
        <Alert severity="warning">
          Could not load the filter values: {options.error.message}
        </Alert>
      )}
      {/* Shown only when the page takes longer than a moment: nothing to draw in front of a quick answer. */}
      {list.loading && <Progress aria-label="Loading components" />}
      {list.error && <ResponseErrorPanel error={list.error} />}
      {!list.error && (
        <MemoServicesTable
          response={list.value}
          sort={sort}
          onSort={setSort}
          onPage={setPage}
          drawn={drawn}
        />
      )}
    </InfoCard>
  );
}
const ComponentsCard = memo(ComponentsSection);

/** The dashboard's cards; each one shows its own placeholder until its own request has answered. */
export function DashboardSections(
  props: DashboardQuery & { list: ServiceListState },
) {
  const { list, query, setFilters, setSort, setPage } = props;
  const api = useApi(serviceInsightsApiRef);
  // Equal values keep their identity, so that paging does not reload the roll-ups.
  const filters = useStableValue(filtersOf(query));
  const sort = useStableValue({ sort: query.sort, order: query.order });
  const exportQuery = useMemo(() => ({ ...filters, ...sort }), [filters, sort]);
  const drawn = useDrawnAfter(useFirstPageAnswered(list));
  const rollups = useAsync(
    async () => (drawn ? api.getRollups(filters) : undefined),
    [api, filters, drawn],
  );

  return (
    <Grid container spacing={3}>
      {drawn && <PolicyErrorItem />}
      <Grid item xs={12} md={8}>
        <InfoCard title="Overview">
          {!rollups.value && !rollups.error && <Progress />}
          {rollups.error && <ResponseErrorPanel error={rollups.error} />}
          {rollups.value && <MemoRollupTotals totals={rollups.value.totals} />}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={4}>
        <InfoCard title="Find a trace">{drawn && <TraceIdSection />}</InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Compliance over time (all services, 90 days)">
          {drawn ? <MemoComplianceTrend query={TREND_QUERY} /> : <Progress />}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <ComponentsCard
          list={list}
          drawn={drawn}
          filters={filters}
          sort={sort}
          exportQuery={exportQuery}
          setFilters={setFilters}
          setSort={setSort}
          setPage={setPage}
        />
      </Grid>
      {/* Below the components: drawn after their first page, they move nothing on screen. */}
      {drawn && (
        <>
          <RollupCard
            title="By team"
            rows={rollups.value?.byTeam}
            linkToGroup
          />
          <RollupCard
            title="By cost center"
            rows={rollups.value?.byCostCenter}
          />
        </>
      )}
    </Grid>
  );
}

/** One roll-up table in its card, half the width on a wide screen; empty until the roll-ups answer. */
function RollupCard(props: {
  title: string;
  rows?: RollupRow[];
  linkToGroup?: boolean;
}) {
  const { title, rows, linkToGroup } = props;
  return (
    <Grid item xs={12} xl={6}>
      <InfoCard title={title}>
        {rows && (
          <MemoRollupTable
            title={title}
            rows={rows}
            linkToGroup={linkToGroup}
          />
        )}
      </InfoCard>
    </Grid>
  );
}

/** The golden-path policy's error, if app-config holds a bad one; read once the first page is on screen. */
function PolicyErrorItem() {
  const { error } = useGoldenPathPolicy();
  return error ? (
    <Grid item xs={12}>
      <PolicyErrorAlert error={error} />
    </Grid>
  ) : null;
}

/** The trace-id box needs the policy's trace links. */
function TraceIdSection() {
  const { policy } = useGoldenPathPolicy();
  return policy ? <MemoTraceIdBox policy={policy} /> : null;
}

/**
 * Whether the first page of components has answered (or failed). The roll-ups, filter values and trend are asked
 * for only after that page is on screen (see {@link useDrawnAfter}): answering and drawing them first put hundreds of
 * milliseconds in front of the table, which is what a visitor opens the dashboard for. It stays true from then on.
 */
function useFirstPageAnswered(list: ServiceListState): boolean {
  const answered = useRef(false);
  if (list.value !== undefined || list.error !== undefined) {
    answered.current = true;
  }
  return answered.current;
}

/**
 * Turns true once `ready` has been committed and the browser has painted that frame: the first page of components
 * is on screen before the filters, the trace-id box, the trend, the roll-ups and the pagination are drawn (as a
 * transition, which input and navigation may interrupt). Drawn in the same frame, they were most of the main-thread
 * time between the first page's answer and its first row in Chromium profiles. It stays true from then on.
 */
function useDrawnAfter(ready: boolean): boolean {
  const [drawn, setDrawn] = useState(false);
  useEffect(() => {
    if (!ready || drawn) return undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const draw = () => startTransition(() => setDrawn(true));
    // A frame callback runs before that frame's paint; a task queued from it runs after the paint.
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(draw, 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [ready, drawn]);
  return drawn;
}

function useStableValue<T>(value: T): T {
  const ref = useRef(value);
  if (JSON.stringify(ref.current) !== JSON.stringify(value)) {
    ref.current = value;
  }
  return ref.current;
}
