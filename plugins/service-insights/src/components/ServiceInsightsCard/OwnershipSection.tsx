import Link from '@material-ui/core/Link';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { ServiceInsight } from '@golden-path/common';
import { EntityLink, SafeLink, refLabel } from '../shared';
import { Facts } from './Facts';

// Only these parts become a mailto: link; anything else (a `?bcc=`/`&cc=` header, `%`-escapes, a second `@`,
// spaces) is shown as text, so catalog data cannot add hidden recipients or a prefilled message.
const LOCAL_PART = /^[A-Za-z0-9](?:[A-Za-z0-9._+-]{0,62}[A-Za-z0-9_+-])?$/;
const DOMAIN =
  /^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

/** The mailto: URL of a plain address, built from its validated parts; undefined for anything else. */
export function mailtoHref(email: string): string | undefined {
  const at = email.indexOf('@');
  if (at < 0 || at !== email.lastIndexOf('@')) {
    return undefined;
  }
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (!LOCAL_PART.test(local) || !DOMAIN.test(domain)) {
    return undefined;
  }
  return `mailto:${encodeURIComponent(local)}@${domain.toLowerCase()}`;
}

/** Who owns the component, how to reach them and where it sits; an owner missing from the catalog is a problem. */
export function OwnershipSection(props: { insight: ServiceInsight }) {
  const { insight } = props;
  const { owner } = insight;
  const ownerKind = owner.kind?.toLocaleLowerCase('en-US') ?? 'group';
  const ownerTitle = owner.displayName ?? refLabel(owner.ref, ownerKind);

  return (
    <>
      {!owner.resolved && (
        <Alert severity="error" style={{ marginBottom: 8 }}>
          <AlertTitle>Owner not found</AlertTitle>
          spec.owner points to {owner.ref}, which is not in the catalog. To fix
          it, add that group to the catalog (the org data), or set{' '}
          <code>spec.owner</code> in this component&apos;s catalog-info.yaml to
          an existing group, e.g. <code>group:default/&lt;team&gt;</code>.
        </Alert>
      )}
      <Facts
        rows={[
          [
            'Owner',
            owner.resolved ? (
              <EntityLink
                entityRef={owner.ref}
                defaultKind={ownerKind}
                title={ownerTitle}
              />
            ) : (
              owner.ref
            ),
          ],
          [
            'Part of',
            owner.parents.length > 0 ? (
              <span aria-label="Owner's parent chain">
                {owner.parents.map((parent, index) => (
                  <span key={parent.ref}>
                    {index > 0 && ' → '}
                    <EntityLink
                      entityRef={parent.ref}
                      defaultKind="group"
                      title={parent.displayName}
                    />
                  </span>
                ))}
              </span>
            ) : undefined,
          ],
          ['Email', owner.email && <EmailLink email={owner.email} />],
          [
            'Chat',
            owner.chatChannel && (
              <SafeLink url={owner.chatChannel}>{owner.chatChannel}</SafeLink>
            ),
          ],
          [
            'System',
            insight.system && (
              <EntityLink entityRef={insight.system} defaultKind="system" />
            ),
          ],
          [
            'Domain',
            insight.domain && (
              <EntityLink entityRef={insight.domain} defaultKind="domain" />
            ),
          ],
          ['Lifecycle', insight.lifecycle],
        ]}
      />
    </>
  );
}

function EmailLink(props: { email: string }) {
  const { email } = props;
  const href = mailtoHref(email);
  if (!href) {
    return <>{email}</>;
  }
  return <Link href={href}>{email}</Link>;
}
