import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import {
  CostTagsField,
  validateCostTagsField,
} from '../components/CostTagsField';

/** The `CostTags` form field, loaded lazily by the scaffolder. */
export const costTagsFormField = createFormField({
  name: 'CostTags',
  component: CostTagsField,
  validation: validateCostTagsField,
});
