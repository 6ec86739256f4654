import Link from '@material-ui/core/Link';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { ServiceInsight } from '@golden-path/common';
import { EntityLink, SafeLink, refLabel } from '../shared';
import { Facts } from './Facts';

// Deliberately loose: it only decides whether a mailto: link is offered; anything else is shown as text.
const EMAIL_PATTERN =
  /^[^\s@<>()",;:\\]+@[^\s@<>()",;:\\]+\.[^\s@<>()",;:\\]+$/;

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
  if (!EMAIL_PATTERN.test(email)) {
    return <>{email}</>;
  }
  return <Link href={`mailto:${encodeURI(email)}`}>{email}</Link>;
}
