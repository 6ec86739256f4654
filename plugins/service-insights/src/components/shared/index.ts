export { useGoldenPathPolicy } from './usePolicy';
export type { PolicyState } from './usePolicy';
export { SafeLink } from './SafeLink';
export { PolicyErrorAlert } from './PolicyErrorAlert';
export { EntityLink, refLabel } from './EntityLink';
export { ComplianceChip, CostTagStatusChip, RuntimeChip } from './StatusChips';
