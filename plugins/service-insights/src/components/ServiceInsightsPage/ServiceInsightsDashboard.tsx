import { DashboardSections } from './DashboardSections';
import { FirstPageRequest } from './firstPage';
import { useDashboardQuery } from './useDashboardQuery';
import { useServiceList } from './useServiceList';

/**
 * The platform dashboard without a page frame: every component with owner, system, cost tags, compliance and
 * trace links; filters, search, sorting and pagination in the URL; roll-ups per team and cost center; CSV export;
 * and a trace-id box.
 */
export function ServiceInsightsDashboard(props: {
  /** The first page of components, when the page's loader has already asked for it. */
  firstPage?: FirstPageRequest;
}) {
  const dashboardQuery = useDashboardQuery();
  // The page of components is what a visitor waits for. Roll-ups, filter values and the trend load inside their own
  // sections, after it.
  const list = useServiceList(dashboardQuery.query, props.firstPage);
  return <DashboardSections list={list} {...dashboardQuery} />;
}
