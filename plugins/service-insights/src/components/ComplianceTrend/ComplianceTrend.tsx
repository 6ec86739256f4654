import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import useAsync from 'react-use/esm/useAsync';
import { TrendQuery, serviceInsightsApiRef } from '../../api';
import { TrendChart } from './TrendChart';
import { trendHeadline } from './trendSummary';

/**
 * The compliance trend of all services, a team or a cost center: a headline ("Payments: 60 % → 85 % tagged in 30
 * days"), the traced share the same way, and the chart.
 */
export function ComplianceTrend(props: { query?: TrendQuery }) {
  const api = useApi(serviceInsightsApiRef);
  const { team, costCenter, days } = props.query ?? {};
  const trend = useAsync(
    () => api.getTrend({ team, costCenter, days }),
    [api, team, costCenter, days],
  );

  if (trend.loading) {
    return <Progress />;
  }
  if (trend.error) {
    if (
      trend.error instanceof ResponseError &&
      trend.error.statusCode === 403
    ) {
      return (
        <Alert severity="info">
          Compliance trends count every component, so they are shown only to
          users who may read the whole catalog.
        </Alert>
      );
    }
    return <ResponseErrorPanel error={trend.error} />;
  }
  const value = trend.value!;
  const tagged = trendHeadline(value, 'fullyTaggedShare');
  if (!tagged) {
    return (
      <Typography variant="body2" color="textSecondary">
        No snapshots yet for {value.title}: one is taken every day, the first
        within an hour of the first refresh.
      </Typography>
    );
  }
  return (
    <>
      <Typography variant="h6" component="p">
        {tagged}
      </Typography>
      <Typography variant="body2" color="textSecondary" gutterBottom>
        {trendHeadline(value, 'tracedShare')}
      </Typography>
      <TrendChart trend={value} />
    </>
  );
}
