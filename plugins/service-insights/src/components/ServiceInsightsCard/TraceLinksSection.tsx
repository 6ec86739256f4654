import { Entity } from '@backstage/catalog-model';
import Typography from '@material-ui/core/Typography';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import {
  GOLDEN_PATH_ANNOTATIONS,
  GoldenPathPolicy,
  entityTraceLinks,
} from '@golden-path/common';
import { useState } from 'react';
import { SafeLink } from '../shared';

/**
 * Links to the component's traces in every configured backend, for the environment picked from the policy's
 * deploy environments. Without a tracing annotation it says which one to add.
 */
export function TraceLinksSection(props: {
  entity: Entity;
  policy: GoldenPathPolicy;
}) {
  const { entity, policy } = props;
  const environments = policy.deploy.environments;
  // Promotion order ends with production, which is where people usually look first.
  const [environment, setEnvironment] = useState(
    environments[environments.length - 1],
  );
  const { serviceName, links } = entityTraceLinks(policy, entity, {
    environment,
  });

  if (!serviceName) {
    return <NoTracing entityName={entity.metadata.name} />;
  }
  if (policy.tracing.links.length === 0) {
    return (
      <Typography variant="body2">
        No tracing backend is configured. A platform admin adds them under{' '}
        <code>goldenPath.tracing.links</code> in app-config.
      </Typography>
    );
  }
  return (
    <>
      <Typography variant="body2" gutterBottom>
        Service name <code>{serviceName}</code>
      </Typography>
      {environments.length > 1 && (
        <ToggleButtonGroup
          size="small"
          exclusive
          value={environment}
          onChange={(_, value: string | null) => value && setEnvironment(value)}
          aria-label="Environment"
        >
          {environments.map(env => (
            <ToggleButton key={env} value={env} aria-label={env}>
              {env}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
      )}
      {links.length === 0 ? (
        <Typography variant="body2">
          None of the configured tracing backends can link to this service.
        </Typography>
      ) : (
        <ul aria-label={`Trace links for ${environment}`}>
          {links.map(link => (
            <li key={`${link.backend}-${link.title}`}>
              <SafeLink url={link.url}>{link.title}</SafeLink>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function NoTracing(props: { entityName: string }) {
  return (
    <>
      <Typography variant="body2" gutterBottom>
        No tracing set up: this component has no{' '}
        <code>{GOLDEN_PATH_ANNOTATIONS.otelServiceName}</code> annotation, so
        there is nothing to link traces to. Add it to catalog-info.yaml with the
        same value as the service&apos;s <code>OTEL_SERVICE_NAME</code>:
      </Typography>
      <pre style={{ margin: 0 }}>
        {`metadata:\n  annotations:\n    ${GOLDEN_PATH_ANNOTATIONS.otelServiceName}: ${props.entityName}`}
      </pre>
      <Typography variant="body2" color="textSecondary">
        <code>{GOLDEN_PATH_ANNOTATIONS.jaegerService}</code> works too.
      </Typography>
    </>
  );
}
