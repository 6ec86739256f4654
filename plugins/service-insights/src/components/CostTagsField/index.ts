export { CostTagsField } from './CostTagsField';
export {
  costTagsFieldSchema,
  teamOfOwner,
  validateCostTagsField,
} from './validation';
export type { CostTagsUiOptions, CostTagsValue } from './validation';
