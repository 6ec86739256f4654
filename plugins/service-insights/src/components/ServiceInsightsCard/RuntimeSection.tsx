import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { EnvironmentRuntime } from '@golden-path/common';
import useAsync from 'react-use/esm/useAsync';
import { serviceInsightsApiRef } from '../../api';
import { RuntimeChip } from '../shared';

const useStyles = makeStyles(theme => ({
  environments: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'grid',
    rowGap: theme.spacing(1),
  },
  problems: {
    margin: theme.spacing(0.5, 0, 0, 0),
    paddingLeft: theme.spacing(2.5),
  },
  problem: {
    color: theme.palette.error.main,
  },
  fix: {
    color: theme.palette.text.secondary,
    fontFamily: 'monospace',
    overflowWrap: 'anywhere',
  },
}));

/**
 * Per environment: whether the component's workload runs (ready/desired replicas) in the clusters the Kubernetes
 * plugin knows, and every way the live objects differ from the catalog, each with its fix.
 */
export function RuntimeSection(props: { entityRef: string }) {
  const api = useApi(serviceInsightsApiRef);
  const { value, loading, error } = useAsync(
    () => api.getRuntime([props.entityRef]),
    [api, props.entityRef],
  );
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  const environments = value?.[0]?.environments ?? [];
  if (environments.every(e => e.state === 'no-cluster')) {
    return (
      <Typography variant="body2" color="textSecondary">
        No Kubernetes cluster is configured for{' '}
        {environments.map(e => e.environment).join(', ') || 'any environment'}.
        Configure clusters for the Kubernetes plugin to see what runs.
      </Typography>
    );
  }
  return <EnvironmentList environments={environments} />;
}

function EnvironmentList(props: { environments: EnvironmentRuntime[] }) {
  const classes = useStyles();
  return (
    <ul className={classes.environments} aria-label="Runtime">
      {props.environments.map(env => {
        const replicas =
          env.state === 'running' || env.state === 'degraded'
            ? `${env.readyReplicas}/${env.desiredReplicas} ready`
            : undefined;
        return (
          <li key={env.environment}>
            <RuntimeChip
              environment={env.environment}
              state={env.state}
              drift={env.problems.length > 0}
              replicas={replicas}
            />
            {env.state !== 'no-cluster' && env.problems.length > 0 && (
              <ul className={classes.problems}>
                {env.problems.map(problem => (
                  <li key={problem.message}>
                    <Typography variant="body2" className={classes.problem}>
                      {problem.message}
                    </Typography>
                    <Typography variant="caption" className={classes.fix}>
                      {problem.fix}
                    </Typography>
                  </li>
                ))}
              </ul>
            )}
          </li>
        );
      })}
    </ul>
  );
}
