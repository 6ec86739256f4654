import { useApi } from '@backstage/core-plugin-api';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import Link from '@material-ui/core/Link';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { TraceService, TraceServiceComponent } from '@golden-path/common';
import useAsync from 'react-use/esm/useAsync';
import { serviceInsightsApiRef } from '../../api';
import { mailtoHref } from '../ServiceInsightsCard/OwnershipSection';
import { EntityLink, SafeLink, refLabel } from '../shared';

/**
 * "Who do I page for this trace": the services in the trace, as the configured tracing backends hold it, with the
 * components the user may read behind each one, their owning team and how to reach it.
 */
export function TraceOwners(props: { traceId: string }) {
  const { traceId } = props;
  const api = useApi(serviceInsightsApiRef);
  const { value, loading, error } = useAsync(
    () => api.getTraceOwners(traceId),
    [api, traceId],
  );

  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value || value.backends.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No tracing query API is configured (serviceInsights.traceQuery in
        app-config), so the services in the trace cannot be listed.
      </Typography>
    );
  }
  const failed = value.backends.filter(b => b.status === 'error');
  return (
    <section aria-label="Owners of this trace">
      <Typography variant="h6" component="h3">
        Who to page for this trace
      </Typography>
      {failed.map(b => (
        <Alert key={b.title} severity="warning">
          {b.message ?? `${b.title} could not be asked`}
        </Alert>
      ))}
      {value.services.length === 0 ? (
        <Typography variant="body2">
          {failed.length === value.backends.length
            ? 'No tracing backend could be asked for this trace.'
            : `No configured tracing backend (${value.backends
                .map(b => b.title)
                .join(', ')}) holds this trace.`}
        </Typography>
      ) : (
        <Table size="small" aria-label="Services in this trace">
          <TableHead>
            <TableRow>
              <TableCell>Service (service.name)</TableCell>
              <TableCell>Spans</TableCell>
              <TableCell>Component</TableCell>
              <TableCell>Owner</TableCell>
              <TableCell>Contact</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {value.services.map(service => (
              <ServiceRows key={service.serviceName} service={service} />
            ))}
          </TableBody>
        </Table>
      )}
    </section>
  );
}

function ServiceRows(props: { service: TraceService }) {
  const { service } = props;
  const spans = (
    <>
      {service.spans}
      {service.errorSpans > 0 && (
        <Typography component="span" color="error" variant="body2">
          {' '}
          ({service.errorSpans} failed)
        </Typography>
      )}
    </>
  );
  if (service.components.length === 0) {
    return (
      <TableRow>
        <TableCell>{service.serviceName}</TableCell>
        <TableCell>{spans}</TableCell>
        <TableCell colSpan={3}>
          <Typography variant="body2" color="textSecondary">
            No component you can see carries this service name
            (golden-path.io/otel-service-name).
          </Typography>
        </TableCell>
      </TableRow>
    );
  }
  return (
    <>
      {service.components.map((component, index) => (
        <TableRow key={component.entityRef}>
          <TableCell>{index === 0 ? service.serviceName : ''}</TableCell>
          <TableCell>{index === 0 ? spans : ''}</TableCell>
          <TableCell>
            <EntityLink
              entityRef={component.entityRef}
              defaultKind="component"
              title={component.title}
            />
          </TableCell>
          <TableCell>
            <Owner component={component} />
          </TableCell>
          <TableCell>
            <Contacts component={component} />
          </TableCell>
        </TableRow>
      ))}
    </>
  );
}

function Owner(props: { component: TraceServiceComponent }) {
  const { owner } = props.component;
  const kind = owner.kind?.toLocaleLowerCase('en-US') ?? 'group';
  if (!owner.resolved) {
    return <>{owner.ref} (not in the catalog)</>;
  }
  return (
    <>
      <EntityLink
        entityRef={owner.ref}
        defaultKind={kind}
        title={owner.displayName ?? refLabel(owner.ref, kind)}
      />
      {owner.parents.length > 0 && (
        <Typography variant="caption" display="block" color="textSecondary">
          in{' '}
          {owner.parents
            .map(p => p.displayName ?? refLabel(p.ref, 'group'))
            .join(' → ')}
        </Typography>
      )}
    </>
  );
}

function Contacts(props: { component: TraceServiceComponent }) {
  const { email, chatChannel } = props.component.owner;
  const href = email ? mailtoHref(email) : undefined;
  if (!email && !chatChannel) return <>—</>;
  return (
    <>
      {email &&
        (href ? <Link href={href}>{email}</Link> : <span>{email}</span>)}
      {email && chatChannel && <br />}
      {chatChannel && <SafeLink url={chatChannel}>{chatChannel}</SafeLink>}
    </>
  );
}
