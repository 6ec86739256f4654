import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Grid from '@material-ui/core/Grid';
import LinearProgress from '@material-ui/core/LinearProgress';
import Alert from '@material-ui/lab/Alert';
import { memo, useMemo, useRef } from 'react';
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
  firstPageAnswered: boolean;
  filters: ServiceFilters;
  sort: Partial<ServiceSort>;
  exportQuery: ServiceFilters & Partial<ServiceSort>;
  setFilters: DashboardQuery['setFilters'];
  setSort: DashboardQuery['setSort'];
  setPage: DashboardQuery['setPage'];
}) {
  const {
    list,
    firstPageAnswered,
    filters,
    sort,
    exportQuery,
    setFilters,
    setSort,
    setPage,
  } = props;
  const api = useApi(serviceInsightsApiRef);
  const options = useAsync(
    async () => (firstPageAnswered ? api.getFilterOptions() : undefined),
    [api, firstPageAnswered],
  );
  return (
    <InfoCard
      title="Components"
      action={<ExportCsvButton query={exportQuery} />}
    >
      <MemoFilterBar
        filters={filters}
        options={options.value}
        onChange={setFilters}
      />
      {options.error && (
        <Alert severity="warning">
          Could not load the filter values: {options.error.message}
        </Alert>
      )}
      {list.loading && <LinearProgress aria-label="Loading components" />}
      {list.error && <ResponseErrorPanel error={list.error} />}
      {list.value && (
        <MemoServicesTable
          response={list.value}
          sort={sort}
          onSort={setSort}
          onPage={setPage}
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
  const { policy, error: policyError } = useGoldenPathPolicy();
  // Equal values keep their identity, so that paging does not reload the roll-ups.
  const filters = useStableValue(filtersOf(query));
  const sort = useStableValue({ sort: query.sort, order: query.order });
  const exportQuery = useMemo(() => ({ ...filters, ...sort }), [filters, sort]);
  const firstPageAnswered = useFirstPageAnswered(list);
  const rollups = useAsync(
    async () => (firstPageAnswered ? api.getRollups(filters) : undefined),
    [api, filters, firstPageAnswered],
  );

  return (
    <Grid container spacing={3}>
      {policyError && (
        <Grid item xs={12}>
          <PolicyErrorAlert error={policyError} />
        </Grid>
      )}
      <Grid item xs={12} md={8}>
        <InfoCard title="Overview">
          {!rollups.value && !rollups.error && <Progress />}
          {rollups.error && <ResponseErrorPanel error={rollups.error} />}
          {rollups.value && <MemoRollupTotals totals={rollups.value.totals} />}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={4}>
        <InfoCard title="Find a trace">
          {policy && <MemoTraceIdBox policy={policy} />}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Compliance over time (all services, 90 days)">
          {firstPageAnswered ? (
            <MemoComplianceTrend query={TREND_QUERY} />
          ) : (
            <Progress />
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <ComponentsCard
          list={list}
          firstPageAnswered={firstPageAnswered}
          filters={filters}
          sort={sort}
          exportQuery={exportQuery}
          setFilters={setFilters}
          setSort={setSort}
          setPage={setPage}
        />
      </Grid>
      <Grid item xs={12} xl={6}>
        <InfoCard title="By team">
          {rollups.value && (
            <MemoRollupTable
              title="By team"
              rows={rollups.value.byTeam}
              linkToGroup
            />
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} xl={6}>
        <InfoCard title="By cost center">
          {rollups.value && (
            <MemoRollupTable
              title="By cost center"
              rows={rollups.value.byCostCenter}
            />
          )}
        </InfoCard>
      </Grid>
    </Grid>
  );
}

/**
 * Whether the first page of components has answered (or failed). The roll-ups, filter values and trend are asked
 * for only then: answering and drawing them first put hundreds of milliseconds in front of the table, which is what
 * a visitor opens the dashboard for. It stays true from then on.
 */
function useFirstPageAnswered(list: ServiceListState): boolean {
  const answered = useRef(false);
  if (list.value !== undefined || list.error !== undefined) {
    answered.current = true;
  }
  return answered.current;
}

function useStableValue<T>(value: T): T {
  const ref = useRef(value);
  if (JSON.stringify(ref.current) !== JSON.stringify(value)) {
    ref.current = value;
  }
  return ref.current;
}
