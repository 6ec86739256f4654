import { CompoundEntityRef, parseEntityRef } from '@backstage/catalog-model';
import {
  EntityRefLink,
  humanizeEntityRef,
} from '@backstage/plugin-catalog-react';

function parse(
  ref: string,
  defaultKind?: string,
): CompoundEntityRef | undefined {
  try {
    return parseEntityRef(ref, { defaultKind, defaultNamespace: 'default' });
  } catch {
    return undefined;
  }
}

/** A short, readable form of an entity ref, e.g. `team-payments` for `group:default/team-payments`. */
export function refLabel(ref: string, defaultKind?: string): string {
  const parsed = parse(ref, defaultKind);
  return parsed ? humanizeEntityRef(parsed, { defaultKind }) : ref;
}

/**
 * A link to a catalog entity, shown as `title` or a short form of the ref. A ref that does not parse is shown as
 * text rather than failing the whole card.
 */
export function EntityLink(props: {
  entityRef: string;
  defaultKind?: string;
  title?: string;
}) {
  const { entityRef, defaultKind, title } = props;
  const parsed = parse(entityRef, defaultKind);
  if (!parsed) {
    return <>{title ?? entityRef}</>;
  }
  return (
    <EntityRefLink entityRef={parsed} defaultKind={defaultKind} hideIcon>
      {title ?? humanizeEntityRef(parsed, { defaultKind })}
    </EntityRefLink>
  );
}
