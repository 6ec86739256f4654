export { ServiceInsightsPage } from './ServiceInsightsPage';
export { ServiceInsightsDashboard } from './ServiceInsightsDashboard';
