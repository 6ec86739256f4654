import { Content, Header, Page } from '@backstage/core-components';
import { ServiceInsightsDashboard } from './ServiceInsightsDashboard';

/** The dashboard as a full page, for the legacy frontend system. */
export function ServiceInsightsPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Service insights"
        subtitle="Ownership, cost-tag compliance and tracing across all components"
      />
      <Content>
        <ServiceInsightsDashboard />
      </Content>
    </Page>
  );
}
