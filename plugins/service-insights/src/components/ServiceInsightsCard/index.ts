export { ServiceInsightsCard } from './ServiceInsightsCard';
