import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  InfoCardVariants,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { useEntity } from '@backstage/plugin-catalog-react';
import { entitySecretNames } from '@golden-path/common';
import Divider from '@material-ui/core/Divider';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import useAsync from 'react-use/esm/useAsync';
import { serviceInsightsApiRef } from '../../api';
import {
  ComplianceChip,
  PolicyErrorAlert,
  useGoldenPathPolicy,
} from '../shared';
import { CostTagsSection } from './CostTagsSection';
import { Section } from './Facts';
import { OwnershipSection } from './OwnershipSection';
import { ProvenanceSection } from './ProvenanceSection';
import { RuntimeSection } from './RuntimeSection';
import { SecretsSection } from './SecretsSection';
import { TraceLinksSection } from './TraceLinksSection';

const useStyles = makeStyles(theme => ({
  divider: {
    margin: theme.spacing(2, 0),
  },
}));

/**
 * Ownership, cost-tag compliance, trace links and provenance of the current component. Ownership, tags and
 * provenance come from the service-insights backend; trace links are built here for the environment picked.
 */
export function ServiceInsightsCard(props: { variant?: InfoCardVariants }) {
  const classes = useStyles();
  const { entity } = useEntity();
  const api = useApi(serviceInsightsApiRef);
  const { policy, error: policyError } = useGoldenPathPolicy();
  const entityRef = stringifyEntityRef(entity);
  const {
    value: insight,
    loading,
    error,
  } = useAsync(() => api.getEntityInsight(entityRef), [api, entityRef]);

  return (
    <InfoCard
      title="Service insights"
      variant={props.variant}
      subheader={
        insight?.description && (
          <Typography variant="body2" color="textSecondary">
            {insight.description}
          </Typography>
        )
      }
      action={insight && <ComplianceChip state={insight.compliance} />}
    >
      {policyError && <PolicyErrorAlert error={policyError} />}
      {loading && <Progress />}
      {error && <InsightError error={error} entityRef={entityRef} />}
      {insight && (
        <>
          <Section title="Ownership">
            <OwnershipSection insight={insight} />
          </Section>
          <Divider className={classes.divider} />
          <Section title="Cost tags">
            <CostTagsSection findings={insight.costTags} policy={policy} />
          </Section>
          <Divider className={classes.divider} />
          <Section title="Runtime">
            <RuntimeSection entityRef={entityRef} />
          </Section>
          <Divider className={classes.divider} />
        </>
      )}
      {policy && (
        <Section title="Trace links">
          <TraceLinksSection entity={entity} policy={policy} />
        </Section>
      )}
      {entitySecretNames(entity).length > 0 && (
        <>
          <Divider className={classes.divider} />
          <Section title="Secrets">
            <SecretsSection entityRef={entityRef} />
          </Section>
        </>
      )}
      {insight?.template && (
        <>
          <Divider className={classes.divider} />
          <Section title="Provenance">
            <ProvenanceSection template={insight.template} />
          </Section>
        </>
      )}
    </InfoCard>
  );
}

function InsightError(props: { error: Error; entityRef: string }) {
  const { error, entityRef } = props;
  // By name rather than instanceof, which fails when two copies of @backstage/errors are bundled.
  if (
    error.name === 'ResponseError' &&
    (error as ResponseError).statusCode === 404
  ) {
    return (
      <Alert severity="info">
        <AlertTitle>No insights for this component</AlertTitle>
        The service-insights backend does not know {entityRef}, or you may not
        see it. It appears once the catalog has processed the component.
      </Alert>
    );
  }
  return <ResponseErrorPanel error={error} />;
}
