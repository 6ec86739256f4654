/**
 * The service-insights backend plugin: ownership, cost-tag compliance and tracing of every Component, as the
 * calling user may see them, with roll-ups per team and cost center.
 *
 * @packageDocumentation
 */
export { serviceInsightsPlugin as default } from './plugin';
export type {
  ServiceInsightsRequestOptions,
  ServiceInsightsService,
} from './services/ServiceInsightsService';
