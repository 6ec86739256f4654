/**
 * Service insights for the new frontend system. The app discovers this plugin through `app.packages: all`.
 *
 * @packageDocumentation
 */
export { serviceInsightsPlugin as default } from './alpha/plugin';
export {
  serviceInsightsApi,
  serviceInsightsEntityCard,
  serviceInsightsGroupTrendCard,
  serviceInsightsPage,
  costTagsFormField,
  secretValuesFormField,
} from './alpha/extensions';
