import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Grid from '@material-ui/core/Grid';
import LinearProgress from '@material-ui/core/LinearProgress';
import Alert from '@material-ui/lab/Alert';
import { useRef } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { serviceInsightsApiRef } from '../../api';
import { filtersOf } from '../../api/query';
import { ComplianceTrend } from '../ComplianceTrend';
import { PolicyErrorAlert, useGoldenPathPolicy } from '../shared';
import { ExportCsvButton } from './ExportCsvButton';
import { FilterBar } from './FilterBar';
import { RollupTable, RollupTotals } from './Rollups';
import { ServicesTable } from './ServicesTable';
import { TraceIdBox } from './TraceIdBox';
import { useDashboardQuery } from './useDashboardQuery';

/**
 * The platform dashboard without a page frame: every component with owner, system, cost tags, compliance and
 * trace links; filters, search, sorting and pagination in the URL; roll-ups per team and cost center; CSV export;
 * and a trace-id box.
 */
export function ServiceInsightsDashboard() {
  const api = useApi(serviceInsightsApiRef);
  const { policy, error: policyError } = useGoldenPathPolicy();
  const { query, setFilters, setSort, setPage } = useDashboardQuery();
  // Equal values keep their identity, so that paging does not reload the roll-ups.
  const filters = useStableValue(filtersOf(query));
  const exportQuery = useStableValue({
    ...filters,
    sort: query.sort,
    order: query.order,
  });

  const options = useAsync(() => api.getFilterOptions(), [api]);
  const list = useAsync(() => api.listServices(query), [api, query]);
  const rollups = useAsync(() => api.getRollups(filters), [api, filters]);

  return (
    <Grid container spacing={3}>
      {policyError && (
        <Grid item xs={12}>
          <PolicyErrorAlert error={policyError} />
        </Grid>
      )}
      <Grid item xs={12} md={8}>
        <InfoCard title="Overview">
          {rollups.loading && !rollups.value && <Progress />}
          {rollups.error && <ResponseErrorPanel error={rollups.error} />}
          {rollups.value && <RollupTotals totals={rollups.value.totals} />}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={4}>
        <InfoCard title="Find a trace">
          {policy && <TraceIdBox policy={policy} />}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Compliance over time (all services, 90 days)">
          <ComplianceTrend query={{ days: 90 }} />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard
          title="Components"
          action={<ExportCsvButton query={exportQuery} />}
        >
          <FilterBar
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
            <ServicesTable
              response={list.value}
              sort={{ sort: query.sort, order: query.order }}
              onSort={setSort}
              onPage={setPage}
            />
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} xl={6}>
        <InfoCard title="By team">
          {rollups.value && (
            <RollupTable
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
            <RollupTable
              title="By cost center"
              rows={rollups.value.byCostCenter}
            />
          )}
        </InfoCard>
      </Grid>
    </Grid>
  );
}

function useStableValue<T>(value: T): T {
  const ref = useRef(value);
  if (JSON.stringify(ref.current) !== JSON.stringify(value)) {
    ref.current = value;
  }
  return ref.current;
}
