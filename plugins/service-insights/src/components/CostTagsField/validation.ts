import { parseEntityRef } from '@backstage/catalog-model';
import { configApiRef } from '@backstage/core-plugin-api';
import { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { readGoldenPathPolicy, validateCostTags } from '@golden-path/common';

/** The field's value: cost-tag values by tag name, e.g. `{ team: 'team-payments', 'cost-center': 'CC-1234' }`. */
export type CostTagsValue = Record<string, string>;

/** `ui:options` of the `CostTags` field. */
export type CostTagsUiOptions = {
  /** The form field holding the owner ref, whose group name pre-fills the team tag. Default `owner`. */
  ownerField?: string;
  /** The cost tag that names the owning team. Default `team`. */
  teamTag?: string;
};

/** JSON schema of the field's value and options, shown by the template editor's field explorer. */
export const costTagsFieldSchema = {
  returnValue: {
    type: 'object' as const,
    additionalProperties: { type: 'string' as const },
  },
  uiOptions: {
    type: 'object' as const,
    properties: {
      ownerField: {
        type: 'string' as const,
        description:
          'The form field holding the owner ref; its group name pre-fills the team tag. Default: owner.',
      },
      teamTag: {
        type: 'string' as const,
        description: 'The cost tag that names the owning team. Default: team.',
      },
    },
  },
};

/**
 * Checks the values against the cost-tag policy before the next step or submit: one error per missing or invalid
 * tag, worded by `validateCostTags`, e.g. `cost-center "1234" must match ^CC-[0-9]{4}$`.
 */
export const validateCostTagsField: CustomFieldValidator<
  CostTagsValue,
  CostTagsUiOptions
> = (data, field, { apiHolder }) => {
  const configApi = apiHolder.get(configApiRef);
  if (!configApi) {
    return;
  }
  let policy;
  try {
    policy = readGoldenPathPolicy(configApi);
  } catch (e) {
    field.addError(
      `The goldenPath policy in app-config is invalid: ${
        e instanceof Error ? e.message : String(e)
      }`,
    );
    return;
  }
  for (const finding of validateCostTags(policy, data ?? {})) {
    if (finding.status !== 'ok' && finding.message) {
      field.addError(finding.message);
    }
  }
};

/**
 * The team named by an owner ref: the group's name, e.g. `team-payments` for `group:default/team-payments` (a bare
 * `team-payments` counts as a group too). Undefined for users and for anything that is not an entity ref.
 */
export function teamOfOwner(owner: unknown): string | undefined {
  if (typeof owner !== 'string' || owner.trim() === '') {
    return undefined;
  }
  try {
    const ref = parseEntityRef(owner.trim(), {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
    return ref.kind.toLocaleLowerCase('en-US') === 'group'
      ? ref.name
      : undefined;
  } catch {
    return undefined;
  }
}
