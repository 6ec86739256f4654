import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { SafeLink } from './SafeLink';

describe('SafeLink', () => {
  it('links http and https URLs, opening a new tab', async () => {
    await renderInTestApp(
      <SafeLink url="https://jaeger.example.com/trace/1">Jaeger</SafeLink>,
    );
    const link = screen.getByRole('link', { name: 'Jaeger' });
    expect(link).toHaveAttribute('href', 'https://jaeger.example.com/trace/1');
    expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  });

  it.each([
    // eslint-disable-next-line no-script-url -- the point of the test
    ['JavaScript:alert(1)'],
    [' javascript:alert(1)'],
    ['data:text/html,<script>alert(1)</script>'],
    ['vbscript:msgbox(1)'],
    ['//evil.example.com'],
    ['/relative/path'],
    ['not a url'],
  ])('shows %s as text, never as a link', async url => {
    await renderInTestApp(<SafeLink url={url} />);
    expect(screen.queryByRole('link')).not.toBeInTheDocument();
    expect(screen.getByText(url.trim())).toBeInTheDocument();
  });
});
