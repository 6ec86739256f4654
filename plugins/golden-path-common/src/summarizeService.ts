import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { GOLDEN_PATH_ANNOTATIONS } from './annotations';
import { costTagsOfEntity, validateCostTags } from './costTags';
import { entityTraceLinks } from './entityTraceLinks';
import { GoldenPathPolicy } from './policy';
import {
  ComplianceState,
  GroupSummary,
  OwnerInsight,
  ServiceInsight,
} from './serviceInsights';

/** What {@link summarizeService} needs besides the component itself. */
export interface ServiceSummaryContext {
  policy: GoldenPathPolicy;
  /**
   * Looks up a related entity (owner Group or User, parent Group, System) by its ref as `stringifyEntityRef` writes
   * it, i.e. lowercase `kind:namespace/name`. Undefined when it does not exist or the caller may not see it.
   */
  entitiesByRef: (ref: string) => Entity | undefined;
}

// Group hierarchies are a handful of levels deep; a longer chain is a misconfiguration, not an org chart.
const MAX_PARENT_DEPTH = 32;

/**
 * What the service-insights views show for one Component: its owner (resolved against the catalog, with the
 * owner's parent chain), system and domain, cost-tag findings and compliance, tracing links and template
 * provenance. Pure: everything it knows about other entities comes from `context.entitiesByRef`.
 */
export function summarizeService(
  entity: Entity,
  context: ServiceSummaryContext,
): ServiceInsight {
  const { policy } = context;
  const namespace = entity.metadata.namespace ?? 'default';
  const costTags = validateCostTags(policy, costTagsOfEntity(policy, entity));
  const { serviceName, links } = entityTraceLinks(policy, entity);
  const system = resolveSystem(entity, namespace, context);
  const templateRef = annotation(
    entity,
    GOLDEN_PATH_ANNOTATIONS.sourceTemplate,
  );
  const templateVersion = annotation(
    entity,
    GOLDEN_PATH_ANNOTATIONS.templateVersion,
  );

  return {
    entityRef: stringifyEntityRef(entity),
    name: entity.metadata.name,
    namespace,
    ...optional('title', text(entity.metadata.title)),
    ...optional('description', text(entity.metadata.description)),
    ...optional('type', text(entity.spec?.type)),
    ...optional('lifecycle', text(entity.spec?.lifecycle)),
    owner: resolveOwner(entity, namespace, context),
    ...optional('system', system?.ref),
    ...optional('domain', system?.domain),
    costTags,
    compliance: complianceOf(costTags),
    tracing: serviceName ? { serviceName, links } : { links: [] },
    ...(templateRef
      ? {
          template: {
            ref: templateRef,
            ...optional('version', templateVersion),
          },
        }
      : {}),
  };
}

/**
 * Whether the service is owned by `teamRef` or by any team below it: true when its owner is that group or has it
 * in its parent chain. `teamRef` may be short (`team-payments` means `group:default/team-payments`).
 */
export function isOwnedByTeam(
  insight: Pick<ServiceInsight, 'owner'>,
  teamRef: string,
): boolean {
  const team = normalizeRef(teamRef, 'group', 'default') ?? teamRef;
  const wanted = team.toLocaleLowerCase('en-US');
  return [insight.owner.ref, ...insight.owner.parents.map(p => p.ref)].some(
    ref => ref.toLocaleLowerCase('en-US') === wanted,
  );
}

function complianceOf(costTags: ServiceInsight['costTags']): ComplianceState {
  if (costTags.some(finding => finding.status === 'missing')) {
    return 'missing-tags';
  }
  if (costTags.some(finding => finding.status === 'invalid')) {
    return 'invalid-tags';
  }
  return 'compliant';
}

function resolveOwner(
  entity: Entity,
  namespace: string,
  context: ServiceSummaryContext,
): OwnerInsight {
  const componentChannel = annotation(
    entity,
    GOLDEN_PATH_ANNOTATIONS.chatChannel,
  );
  const raw = text(entity.spec?.owner) ?? '';
  const ref = normalizeRef(raw, 'group', namespace);
  const owner = ref ? context.entitiesByRef(ref) : undefined;
  const resolved = owner !== undefined && isGroupOrUser(owner);
  if (!resolved) {
    return {
      ref: ref ?? raw,
      resolved: false,
      ...optional('chatChannel', componentChannel),
      parents: [],
    };
  }
  return {
    ref: ref!,
    resolved: true,
    kind: owner.kind,
    ...optional('displayName', displayNameOf(owner)),
    ...optional('email', text(profileOf(owner)?.email)),
    ...optional(
      'chatChannel',
      componentChannel ??
        annotation(owner, GOLDEN_PATH_ANNOTATIONS.chatChannel),
    ),
    parents: isKind(owner, 'group') ? parentChain(owner, ref!, context) : [],
  };
}

// Follows `spec.parent` upwards, nearest first. A parent the caller cannot see ends the chain after its ref: its
// own parent is unknown. A cycle ends the chain before the first repeated group.
function parentChain(
  group: Entity,
  groupRef: string,
  context: ServiceSummaryContext,
): GroupSummary[] {
  const chain: GroupSummary[] = [];
  const seen = new Set([groupRef]);
  let current: Entity | undefined = group;
  while (current && chain.length < MAX_PARENT_DEPTH) {
    const parentRef = normalizeRef(
      text(current.spec?.parent) ?? '',
      'group',
      current.metadata.namespace ?? 'default',
    );
    if (!parentRef || seen.has(parentRef)) {
      break;
    }
    seen.add(parentRef);
    const candidate = context.entitiesByRef(parentRef);
    const parent =
      candidate && isKind(candidate, 'group') ? candidate : undefined;
    chain.push({
      ref: parentRef,
      ...optional('displayName', parent && displayNameOf(parent)),
    });
    current = parent;
  }
  return chain;
}

function resolveSystem(
  entity: Entity,
  namespace: string,
  context: ServiceSummaryContext,
): { ref: string; domain?: string } | undefined {
  const ref = normalizeRef(
    text(entity.spec?.system) ?? '',
    'system',
    namespace,
  );
  if (!ref) {
    return undefined;
  }
  const system = context.entitiesByRef(ref);
  const domain =
    system &&
    normalizeRef(
      text(system.spec?.domain) ?? '',
      'domain',
      system.metadata.namespace ?? 'default',
    );
  return { ref, ...optional('domain', domain) };
}

/** The ref in canonical form (`kind:namespace/name`, lowercase), or undefined when it is empty or malformed. */
function normalizeRef(
  raw: string,
  defaultKind: string,
  defaultNamespace: string,
): string | undefined {
  if (!raw) {
    return undefined;
  }
  try {
    return stringifyEntityRef(
      parseEntityRef(raw, { defaultKind, defaultNamespace }),
    );
  } catch {
    return undefined;
  }
}

function isGroupOrUser(entity: Entity): boolean {
  return isKind(entity, 'group') || isKind(entity, 'user');
}

function isKind(entity: Entity, kind: string): boolean {
  return entity.kind.toLocaleLowerCase('en-US') === kind;
}

function profileOf(entity: Entity): Record<string, unknown> | undefined {
  const profile = entity.spec?.profile;
  return typeof profile === 'object' &&
    profile !== null &&
    !Array.isArray(profile)
    ? (profile as Record<string, unknown>)
    : undefined;
}

function displayNameOf(entity: Entity): string | undefined {
  return text(profileOf(entity)?.displayName) ?? text(entity.metadata.title);
}

function annotation(entity: Entity, key: string): string | undefined {
  return text(entity.metadata.annotations?.[key]);
}

/** The trimmed string, or undefined for anything else, including blank strings. */
function text(value: unknown): string | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

// Leaves absent values out rather than writing `key: undefined`, so results compare and serialise cleanly.
function optional<K extends string, V>(
  key: K,
  value: V | undefined,
): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
