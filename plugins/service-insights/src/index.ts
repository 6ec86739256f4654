/**
 * Service insights: ownership, cost-tag compliance and trace links on every component, a platform dashboard over
 * all of them, and a cost-tag field for templates. Legacy frontend system here; the new one under `./alpha`.
 *
 * @packageDocumentation
 */

export {
  serviceInsightsPlugin,
  ServiceInsightsPage,
  EntityServiceInsightsCard,
  EntityComplianceTrendCard,
  CostTagsFieldExtension,
  SecretValuesFieldExtension,
} from './plugin';
export { rootRouteRef as serviceInsightsRouteRef } from './routes';
export * from './api';
export type {
  CostTagsUiOptions,
  CostTagsValue,
} from './components/CostTagsField';
export type {
  SecretValuesUiOptions,
  SecretValuesValue,
} from './components/SecretValuesField';
