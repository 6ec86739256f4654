import { configApiRef } from '@backstage/core-plugin-api';
import {
  FieldExtensionComponentProps,
  SecretsContextProvider,
  useTemplateSecrets,
} from '@backstage/plugin-scaffolder-react';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { CONFIG } from '../../__testUtils__/fixtures';
import { SecretValuesField } from './SecretValuesField';
import {
  SecretValuesUiOptions,
  SecretValuesValue,
  validateSecretValuesField,
} from './validation';

const configApi = mockApis.config({ data: CONFIG });

type Props = FieldExtensionComponentProps<
  SecretValuesValue,
  SecretValuesUiOptions
>;

/** The field as RJSF renders it inside the scaffolder's secrets context; exposes the form value and task secrets. */
function Harness(props: {
  secrets: string[];
  seen: { value?: SecretValuesValue; secrets?: Record<string, string> };
}) {
  const [value, setValue] = useState<SecretValuesValue | undefined>();
  const { secrets } = useTemplateSecrets();
  props.seen.value = value;
  props.seen.secrets = secrets;
  const fieldProps = {
    name: 'secretValues',
    idSchema: { $id: 'root_secretValues' },
    schema: { type: 'object', title: 'Initial values' },
    uiSchema: { 'ui:options': { secretsFrom: 'secrets' } },
    formData: value,
    formContext: { formData: { secrets: props.secrets } },
    onChange: setValue,
    onBlur: () => {},
    onFocus: () => {},
    rawErrors: [],
    disabled: false,
    readonly: false,
    required: false,
    registry: {},
  } as unknown as Props;
  return <SecretValuesField {...fieldProps} />;
}

async function renderField(secrets: string[]) {
  const seen: { value?: SecretValuesValue; secrets?: Record<string, string> } =
    {};
  await renderInTestApp(
    <TestApiProvider apis={[[configApiRef, configApi]]}>
      <SecretsContextProvider>
        <Harness secrets={secrets} seen={seen} />
      </SecretsContextProvider>
    </TestApiProvider>,
  );
  return seen;
}

describe('SecretValuesField', () => {
  it('offers one masked input per secret for every environment, and keeps values out of the form value', async () => {
    const seen = await renderField(['DB_PASSWORD', 'STRIPE_API_KEY']);
    const input = screen.getByLabelText('DB_PASSWORD (dev, staging, prod)');
    expect(input).toHaveAttribute('type', 'password');
    await userEvent.type(input, 'pg-secret');

    await waitFor(() =>
      expect(seen.value).toEqual({ provided: ['DB_PASSWORD'] }),
    );
    expect(seen.secrets).toMatchObject({ DB_PASSWORD: 'pg-secret' });
    expect(JSON.stringify(seen.value)).not.toContain('pg-secret');
  });

  it('gives each environment its own masked input when "same value everywhere" is off, carrying the value over', async () => {
    const seen = await renderField(['DB_PASSWORD']);
    await userEvent.type(
      screen.getByLabelText('DB_PASSWORD (dev, staging, prod)'),
      'shared',
    );
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Same value in every environment' }),
    );
    for (const env of ['dev', 'staging', 'prod']) {
      expect(screen.getByLabelText(`DB_PASSWORD in ${env}`)).toHaveAttribute(
        'type',
        'password',
      );
    }
    const prod = screen.getByLabelText('DB_PASSWORD in prod');
    await userEvent.clear(prod);
    await userEvent.type(prod, 'prod-only');

    await waitFor(() =>
      expect(seen.secrets).toMatchObject({
        DB_PASSWORD: '',
        'DB_PASSWORD@dev': 'shared',
        'DB_PASSWORD@staging': 'shared',
        'DB_PASSWORD@prod': 'prod-only',
      }),
    );
    expect(seen.value).toEqual({
      provided: ['DB_PASSWORD@dev', 'DB_PASSWORD@staging', 'DB_PASSWORD@prod'],
    });
  });

  it('flags a value that cannot be stored, naming the secret and environment, and the step cannot continue', async () => {
    const seen = await renderField(['DB_PASSWORD']);
    // A pasted value too long for the secret manager (a password input drops line breaks by itself).
    fireEvent.change(
      screen.getByLabelText('DB_PASSWORD (dev, staging, prod)'),
      {
        target: { value: 'x'.repeat(70000) },
      },
    );
    await waitFor(() =>
      expect(seen.value?.invalid).toEqual({
        DB_PASSWORD: 'is 70000 bytes long; the limit is 65536',
      }),
    );
    expect(
      screen.getByText('It is 70000 bytes long; the limit is 65536'),
    ).toBeInTheDocument();
    const errors: string[] = [];
    validateSecretValuesField(
      seen.value!,
      { __errors: errors, addError: (m: string) => errors.push(m) } as any,
      {} as any,
    );
    expect(errors).toEqual([
      'DB_PASSWORD (every environment) is 70000 bytes long; the limit is 65536',
    ]);
  });

  it('says so when no secret is declared', async () => {
    await renderField([]);
    expect(
      screen.getByText(
        'No secrets declared; add names above to give them initial values.',
      ),
    ).toBeInTheDocument();
  });
});
