import { InfoCard } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { ComplianceTrend } from './ComplianceTrend';

/** On a Group's page: how the share of its services that are fully tagged and traced moved over 30 days. */
export function EntityComplianceTrendCard() {
  const { entity } = useEntity();
  return (
    <InfoCard title="Compliance over time">
      <ComplianceTrend query={{ team: stringifyEntityRef(entity), days: 30 }} />
    </InfoCard>
  );
}
