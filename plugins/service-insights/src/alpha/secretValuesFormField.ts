import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import {
  SecretValuesField,
  validateSecretValuesField,
} from '../components/SecretValuesField';

/** The `SecretValues` form field, loaded lazily by the scaffolder. */
export const secretValuesFormField = createFormField({
  name: 'SecretValues',
  component: SecretValuesField,
  validation: validateSecretValuesField,
});
