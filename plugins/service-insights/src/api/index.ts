export type { ServiceInsightsApi, TrendQuery } from './ServiceInsightsApi';
export { serviceInsightsApiRef } from './ServiceInsightsApi';
export { ServiceInsightsClient } from './ServiceInsightsClient';
export * from './query';
