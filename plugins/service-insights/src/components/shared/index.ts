export { useGoldenPathPolicy } from './usePolicy';
export type { PolicyState } from './usePolicy';
export { SafeLink } from './SafeLink';
export { PolicyErrorAlert } from './PolicyErrorAlert';
export { EntityLink, EntityLinkTo, refLabel } from './EntityLink';
export type { EntityLinks } from './EntityLink';
export { ComplianceChip, CostTagStatusChip, RuntimeChip } from './StatusChips';
