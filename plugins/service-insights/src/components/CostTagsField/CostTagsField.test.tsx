import { configApiRef } from '@backstage/core-plugin-api';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { Stepper } from '@backstage/plugin-scaffolder-react/alpha';
import {
  TestApiProvider,
  TestApiRegistry,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { CONFIG } from '../../__testUtils__/fixtures';
import { CostTagsField } from './CostTagsField';
import {
  CostTagsUiOptions,
  CostTagsValue,
  validateCostTagsField,
} from './validation';

const configApi = mockApis.config({ data: CONFIG });

type Props = FieldExtensionComponentProps<CostTagsValue, CostTagsUiOptions>;

/** The field as RJSF renders it, with its value kept in state. */
function Harness(props: {
  owner?: string;
  initial?: CostTagsValue;
  rawErrors?: string[];
  onValue?: (value?: CostTagsValue) => void;
}) {
  const [value, setValue] = useState<CostTagsValue | undefined>(props.initial);
  const fieldProps = {
    name: 'costTags',
    idSchema: { $id: 'root_costTags' },
    schema: {
      type: 'object',
      title: 'Cost tags',
      properties: { 'cost-center': { title: 'Cost center' } },
    },
    uiSchema: {},
    formData: value,
    formContext: { formData: { owner: props.owner } },
    onChange: (next?: CostTagsValue) => {
      setValue(next);
      props.onValue?.(next);
    },
    onBlur: () => {},
    onFocus: () => {},
    rawErrors: props.rawErrors ?? [],
    disabled: false,
    readonly: false,
    required: true,
    registry: {},
  } as unknown as Props;
  return <CostTagsField {...fieldProps} />;
}

async function renderField(props: Parameters<typeof Harness>[0] = {}) {
  await renderInTestApp(
    <TestApiProvider apis={[[configApiRef, configApi]]}>
      <Harness {...props} />
    </TestApiProvider>,
  );
}

/** Runs the field's validation as the scaffolder does, collecting the errors. */
async function validate(value: CostTagsValue) {
  const errors: string[] = [];
  await validateCostTagsField(
    value,
    { __errors: errors, addError: (message: string) => errors.push(message) },
    {
      apiHolder: TestApiRegistry.from([configApiRef, configApi]),
      formData: {},
      schema: {},
    },
  );
  return errors;
}

// These tests click and type through MUI forms in jsdom (user-event): seconds per test on a loaded 2-core machine or
// a cold transform cache, which Jest's 5 s default does not allow for. A hang guard, not a performance check.
jest.setTimeout(30_000);

describe('CostTagsField', () => {
  it('offers a dropdown where the rule is a list and a text input with the pattern where it is a pattern', async () => {
    await renderField();

    const environment = screen.getByLabelText(/environment/);
    expect(environment.tagName).toBe('SELECT');
    expect(
      within(environment)
        .getAllByRole('option')
        .map(option => option.textContent),
    ).toEqual(['Choose…', 'dev', 'staging', 'prod']);

    const costCenter = screen.getByLabelText(/Cost center/);
    expect(costCenter.tagName).toBe('INPUT');
    expect(screen.getByText('must match ^CC-[0-9]{4}$')).toBeInTheDocument();
    expect(screen.getByLabelText(/product/).tagName).toBe('INPUT');
    expect(screen.getByLabelText(/team/).tagName).toBe('INPUT');
  });

  it('keeps the value as an object of tag values', async () => {
    const onValue = jest.fn();
    await renderField({ onValue });

    await userEvent.selectOptions(
      screen.getByLabelText(/environment/),
      'staging',
    );
    await userEvent.type(screen.getByLabelText(/Cost center/), 'CC-1234');

    expect(onValue).toHaveBeenLastCalledWith({
      environment: 'staging',
      'cost-center': 'CC-1234',
    });
  });

  it('pre-fills the team with the name of the owner group', async () => {
    const onValue = jest.fn();
    await renderField({ owner: 'group:default/team-payments', onValue });

    await waitFor(() =>
      expect(screen.getByLabelText(/team/)).toHaveValue('team-payments'),
    );
    expect(onValue).toHaveBeenLastCalledWith({ team: 'team-payments' });
    expect(screen.getByText('from the owner you picked')).toBeInTheDocument();
  });

  it("does not overwrite a team the user typed, but offers the owner's", async () => {
    await renderField({
      owner: 'group:default/team-payments',
      initial: { team: 'finance' },
    });
    expect(screen.getByLabelText(/team/)).toHaveValue('finance');
    expect(
      screen.getByText(/The owner's team is team-payments/),
    ).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Use team-payments' }),
    );
    expect(screen.getByLabelText(/team/)).toHaveValue('team-payments');
  });

  it('does not pre-fill the team from a user owner', async () => {
    const onValue = jest.fn();
    await renderField({ owner: 'user:default/ada.lovelace', onValue });
    expect(screen.getByLabelText(/team/)).toHaveValue('');
    expect(onValue).not.toHaveBeenCalled();
  });

  it('shows the policy error under the tag once the tag is left', async () => {
    await renderField();
    const costCenter = screen.getByLabelText(/Cost center/);

    await userEvent.type(costCenter, '1234');
    await userEvent.tab();

    expect(
      screen.getByText('cost-center "1234" must match ^CC-[0-9]{4}$'),
    ).toBeInTheDocument();
    expect(costCenter).toHaveAttribute('aria-invalid', 'true');
  });

  it('shows every problem per tag after a submit attempt', async () => {
    await renderField({
      initial: { 'cost-center': '1234' },
      rawErrors: ['cost-center "1234" must match ^CC-[0-9]{4}$'],
    });
    expect(
      screen.getByText('cost-center "1234" must match ^CC-[0-9]{4}$'),
    ).toBeInTheDocument();
    expect(screen.getByText('team is required')).toBeInTheDocument();
    expect(
      screen.getByText(
        'environment is required and must be one of dev, staging, prod',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('product is required')).toBeInTheDocument();
  });
});

describe('validateCostTagsField', () => {
  it('reports each missing or invalid tag with its rule', async () => {
    expect(
      await validate({
        team: 'payments',
        'cost-center': '1234',
        environment: 'qa',
      }),
    ).toEqual([
      'cost-center "1234" must match ^CC-[0-9]{4}$',
      'environment "qa" must be one of dev, staging, prod',
      'product is required',
    ]);
  });

  it('accepts a complete, valid set', async () => {
    expect(
      await validate({
        team: 'team-payments',
        'cost-center': 'CC-1234',
        environment: 'prod',
        product: 'checkout',
      }),
    ).toEqual([]);
  });
});

describe('CostTags in the scaffolder form', () => {
  // The stepper scrolls to the top of each step; jsdom has no scrolling.
  beforeAll(() => {
    window.scrollTo = jest.fn();
  });

  it('reads the owner from an earlier step and blocks the next step until the tags are valid', async () => {
    const onCreate = jest.fn(async () => {});
    await renderInTestApp(
      <TestApiProvider apis={[[configApiRef, configApi]]}>
        <Stepper
          manifest={{
            title: 'Go API',
            steps: [
              {
                title: 'Service',
                schema: {
                  required: ['owner'],
                  properties: { owner: { title: 'Owner', type: 'string' } },
                },
              },
              {
                title: 'Cost tags',
                schema: {
                  properties: {
                    // As the templates declare it.
                    costTags: {
                      title: 'Cost tags',
                      type: 'object',
                      'ui:field': 'CostTags',
                      required: [
                        'team',
                        'cost-center',
                        'environment',
                        'product',
                      ],
                      properties: {
                        team: { title: 'Team', type: 'string' },
                        'cost-center': {
                          title: 'Cost center',
                          type: 'string',
                        },
                        environment: { title: 'Environment', type: 'string' },
                        product: { title: 'Product', type: 'string' },
                      },
                    },
                  },
                },
              },
            ],
          }}
          extensions={[
            {
              name: 'CostTags',
              component: CostTagsField,
              validation: validateCostTagsField,
            },
          ]}
          onCreate={onCreate}
        />
      </TestApiProvider>,
    );

    await userEvent.type(
      screen.getByRole('textbox', { name: 'Owner' }),
      'group:default/team-payments',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Next' }));

    const team = await screen.findByLabelText(/Team/);
    await waitFor(() => expect(team).toHaveValue('team-payments'));

    await userEvent.click(screen.getByRole('button', { name: 'Review' }));

    // The template's own `required` stops the step; the field shows the policy's message per tag.
    expect(await screen.findByText('product is required')).toBeInTheDocument();
    expect(
      screen.getByText(
        'environment is required and must be one of dev, staging, prod',
      ),
    ).toBeInTheDocument();

    await userEvent.type(screen.getByLabelText(/Cost center/), '1234');
    await userEvent.selectOptions(screen.getByLabelText(/Environment/), 'prod');
    await userEvent.type(screen.getByLabelText(/Product/), 'checkout');
    await userEvent.click(screen.getByRole('button', { name: 'Review' }));

    expect(
      await screen.findAllByText('cost-center "1234" must match ^CC-[0-9]{4}$'),
    ).not.toHaveLength(0);
    expect(screen.queryByText('product is required')).not.toBeInTheDocument();

    await userEvent.clear(screen.getByLabelText(/Cost center/));
    await userEvent.type(screen.getByLabelText(/Cost center/), 'CC-1234');
    await userEvent.click(screen.getByRole('button', { name: 'Review' }));
    await userEvent.click(
      await screen.findByRole('button', { name: 'Create' }),
    );

    expect(onCreate).toHaveBeenCalledWith(
      expect.objectContaining({
        owner: 'group:default/team-payments',
        costTags: {
          team: 'team-payments',
          'cost-center': 'CC-1234',
          environment: 'prod',
          product: 'checkout',
        },
      }),
    );
  });
});
