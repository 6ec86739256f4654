import Link from '@material-ui/core/Link';
import { safeHttpUrl } from '@golden-path/common';
import { ReactNode } from 'react';

/**
 * A link to an http(s) URL that opens in a new tab. Any other URL (`javascript:`, `data:`, relative, malformed) is
 * never rendered as a link: the children, or else the URL itself, are shown as plain text instead.
 */
export function SafeLink(props: { url?: string; children?: ReactNode }) {
  const { url, children } = props;
  const href = url === undefined ? undefined : safeHttpUrl(url);
  if (!href) {
    return <>{children ?? url}</>;
  }
  return (
    <Link href={href} target="_blank" rel="noopener noreferrer">
      {children ?? url}
    </Link>
  );
}
