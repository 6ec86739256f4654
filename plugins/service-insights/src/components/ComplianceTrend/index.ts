export { ComplianceTrend } from './ComplianceTrend';
export { EntityComplianceTrendCard } from './EntityComplianceTrendCard';
export { trendHeadline } from './trendSummary';
