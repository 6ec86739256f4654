import { Progress } from '@backstage/core-components';
import { Suspense, lazy } from 'react';
import { useDashboardQuery } from './useDashboardQuery';
import { useServiceList } from './useServiceList';

// The tables, filters, roll-ups and chart are a chunk of their own that loads while the first page of components
// is already being fetched: this module stays small so that the request starts as soon as the route renders.
const DashboardSections = lazy(() =>
  import('./DashboardSections').then(m => ({ default: m.DashboardSections })),
);

/**
 * The platform dashboard without a page frame: every component with owner, system, cost tags, compliance and
 * trace links; filters, search, sorting and pagination in the URL; roll-ups per team and cost center; CSV export;
 * and a trace-id box.
 */
export function ServiceInsightsDashboard() {
  const dashboardQuery = useDashboardQuery();
  // The page of components is what a visitor waits for: its request goes out before the dashboard's code has
  // loaded. Roll-ups, filter values and the trend load inside their own sections.
  const list = useServiceList(dashboardQuery.query);
  return (
    <Suspense fallback={<Progress />}>
      <DashboardSections list={list} {...dashboardQuery} />
    </Suspense>
  );
}
