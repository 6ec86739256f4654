import { mailtoHref } from './OwnershipSection';

describe('mailtoHref', () => {
  it('links plain addresses', () => {
    expect(mailtoHref('payments@example.com')).toBe(
      'mailto:payments@example.com',
    );
    expect(mailtoHref('team.payments+alerts@Mail.Example.COM')).toBe(
      'mailto:team.payments%2Balerts@mail.example.com',
    );
  });

  it.each([
    'payments@example.com?bcc=mallory@evil.example',
    'payments@example.com?bcc=mallory%40evil.example',
    'payments@example.com&cc=mallory@evil.example',
    'payments%40example.com@evil.example',
    'payments@example.com%0D%0ABcc:mallory@evil.example',
    'payments@example.com\r\nBcc: mallory@evil.example',
    'payments@example.com?body=hi',
    'pay ments@example.com',
    '"payments"@example.com',
    'payments@localhost',
    // eslint-disable-next-line no-script-url -- proves such a value never becomes a link
    'javascript:alert(1)//@example.com',
    '@example.com',
    'payments@',
  ])('refuses %j', email => {
    expect(mailtoHref(email)).toBeUndefined();
  });
});
