export { SecretValuesField } from './SecretValuesField';
export {
  secretValuesFieldSchema,
  validateSecretValuesField,
} from './validation';
export type { SecretValuesUiOptions, SecretValuesValue } from './validation';
