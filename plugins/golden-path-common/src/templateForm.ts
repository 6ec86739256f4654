import {
  COMPONENT_NAME_MAX_LENGTH,
  COMPONENT_NAME_PATTERN,
  COMPONENT_NAME_RULE,
  SECRET_NAME_MAX_LENGTH,
  SECRET_NAME_PATTERN,
  SECRET_NAME_RULE,
} from './componentName';
import { CostTagPolicy } from './costTagPolicy';
import { GoldenPathPolicy } from './policy';

// The form pages every golden-path template shares, built from the policy's own rules so that a form refuses
// exactly what the actions refuse. They are written to templates/shared/parameters/*.yaml, which each
// template.yaml includes with `$yaml`; a test fails when those files and this module disagree.

type JsonSchema = Record<string, unknown>;

const upperFirst = (text: string) => text[0].toUpperCase() + text.slice(1);

/**
 * The schema of one cost tag: its title only. Its value is checked by the page's `CostTags` field with
 * `validateCostTags` (the actions' own check) against the live policy, so the form shows the policy's message; a
 * pattern here would stop the step first with a JSON-schema message, and API callers get the actions' message.
 */
function costTagSchema(tag: CostTagPolicy): JsonSchema {
  return { title: upperFirst(tag.name.replace(/-/g, ' ')), type: 'string' };
}

/** The shared pages of the form, by file name under templates/shared/parameters/. */
export function sharedTemplatePages(policy: GoldenPathPolicy) {
  const required = policy.costTags.tags.filter(tag => tag.required);
  return {
    service: {
      title: 'Service',
      required: ['name', 'description', 'owner', 'system'],
      properties: {
        name: {
          title: 'Name',
          type: 'string',
          description: `${upperFirst(COMPONENT_NAME_RULE)}.`,
          pattern: COMPONENT_NAME_PATTERN.source,
          maxLength: COMPONENT_NAME_MAX_LENGTH,
          'ui:autofocus': true,
        },
        description: {
          title: 'Description',
          type: 'string',
          description: 'One line on what the service does.',
          maxLength: 200,
          pattern: '^[^\\r\\n]*$',
        },
        owner: {
          title: 'Owner',
          type: 'string',
          description: 'The team that owns the service.',
          'ui:field': 'OwnerPicker',
          'ui:options': { catalogFilter: { kind: 'Group' } },
        },
        system: {
          title: 'System',
          type: 'string',
          description: 'The system the service belongs to.',
          'ui:field': 'EntityPicker',
          'ui:options': { catalogFilter: { kind: 'System' } },
        },
        lifecycle: {
          title: 'Lifecycle',
          type: 'string',
          enum: ['experimental', 'production'],
          default: 'experimental',
        },
        chaos: {
          title: 'Chaos experiments',
          type: 'boolean',
          default: false,
          description:
            "Run Chaos Mesh experiments in staging on weekdays during business hours (a pod kill, and a network delay toward each dependency). The repository's docs/chaos-experiments.md says how to pause or stop them.",
        },
      },
    },
    costTags: {
      title: 'Cost tags',
      required: ['costTags'],
      properties: {
        costTags: {
          title: 'Cost tags',
          description:
            "Checked against the platform's cost-tag policy before you can continue.",
          type: 'object',
          // One input per policy tag, with the live policy's value lists and patterns; team pre-filled from the owner.
          'ui:field': 'CostTags',
          required: required.map(tag => tag.name),
          properties: Object.fromEntries(
            policy.costTags.tags.map(tag => [tag.name, costTagSchema(tag)]),
          ),
        },
      },
    },
    secrets: {
      title: 'Secrets',
      properties: {
        secrets: {
          title: 'Secrets the service reads',
          description:
            'Names like DB_PASSWORD. Each is mounted as a file under SECRETS_DIR; values live in the secret manager, never in git.',
          type: 'array',
          uniqueItems: true,
          default: [],
          items: {
            title: 'Secret name',
            type: 'string',
            description: `${upperFirst(SECRET_NAME_RULE)}.`,
            pattern: SECRET_NAME_PATTERN.source,
            maxLength: SECRET_NAME_MAX_LENGTH,
          },
        },
        secretValues: {
          title: 'Initial values (optional)',
          description:
            "One masked input per secret and environment, or one value for all. Stored in the secret manager after the repository is published; never in the repository, the task's parameters or its log.",
          type: 'object',
          // Values go to the task secrets (<NAME>@<environment>, or <NAME> for all); the form value holds none.
          'ui:field': 'SecretValues',
          'ui:options': { secretsFrom: 'secrets' },
        },
      },
    },
  };
}
