import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { SecretPresence } from '@golden-path/common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import useAsync from 'react-use/esm/useAsync';
import { serviceInsightsApiRef } from '../../api';

const LABEL: Record<SecretPresence, string> = {
  present: 'stored',
  missing: 'missing',
  unknown: 'unknown',
};

/**
 * Per environment, whether each declared secret exists in the secret manager. A missing one means the
 * ExternalSecret of that environment cannot sync, so the pods will not start there.
 */
export function SecretsSection(props: { entityRef: string }) {
  const api = useApi(serviceInsightsApiRef);
  const { value, loading, error } = useAsync(
    () => api.getSecretsStatus(props.entityRef),
    [api, props.entityRef],
  );
  if (loading) {
    return <Progress />;
  }
  if (error || !value) {
    return <ResponseErrorPanel error={error ?? new Error('No answer')} />;
  }
  const missing = value.secrets.flatMap(secret =>
    value.environments
      .filter(env => secret.environments[env] === 'missing')
      .map(env => `${secret.name} in ${env}`),
  );
  return (
    <>
      <Table size="small" aria-label="Secrets per environment">
        <TableHead>
          <TableRow>
            <TableCell>Secret</TableCell>
            {value.environments.map(env => (
              <TableCell key={env}>{env}</TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {value.secrets.map(secret => (
            <TableRow key={secret.name}>
              <TableCell component="th" scope="row">
                {secret.name}
              </TableCell>
              {value.environments.map(env => {
                const presence = secret.environments[env] ?? 'unknown';
                return (
                  <TableCell key={env}>
                    <Typography
                      variant="body2"
                      color={presence === 'missing' ? 'error' : 'textPrimary'}
                    >
                      {LABEL[presence]}
                    </Typography>
                  </TableCell>
                );
              })}
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {missing.length > 0 && (
        <Alert severity="warning">
          Not in {value.provider} yet: {missing.join(', ')}. Store them before
          deploying there; until then the ExternalSecret cannot sync.
        </Alert>
      )}
      {value.error && <Alert severity="info">{value.error}</Alert>}
    </>
  );
}
