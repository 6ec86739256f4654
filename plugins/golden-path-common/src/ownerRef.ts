import {
  KubernetesValidatorFunctions,
  parseEntityRef,
} from '@backstage/catalog-model';

/** The rule for a component's owner, as the catalog and CODEOWNERS need it. */
export const OWNER_REF_RULE =
  'an entity reference to a group or user, e.g. group:default/team-payments or team-payments (kind and namespace optional; names of letters, digits, "-", "_" and ".", at most 63 characters)';

/**
 * Why `owner` is not a valid owner reference (a sentence completion), or undefined when it is. The server-side rule
 * behind every action that reads an owner: the form's OwnerPicker gives one, the HTTP API can send anything, and an
 * owner is written into CODEOWNERS and catalog-info.yaml, where a newline or a space would add lines of its own.
 */
export function ownerRefProblem(owner: unknown): string | undefined {
  if (typeof owner !== 'string' || owner === '') {
    return 'is required';
  }
  let ref: { kind: string; namespace: string; name: string };
  try {
    ref = parseEntityRef(owner, {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
  } catch {
    return `must be ${OWNER_REF_RULE}`;
  }
  const kind = ref.kind.toLocaleLowerCase('en-US');
  if (
    (kind !== 'group' && kind !== 'user') ||
    !KubernetesValidatorFunctions.isValidObjectName(ref.name) ||
    !KubernetesValidatorFunctions.isValidNamespace(ref.namespace)
  ) {
    return `must be ${OWNER_REF_RULE}`;
  }
  return undefined;
}
