/* eslint-disable no-script-url -- these tests check that script URLs never become links */
import { baseUrlProblem, joinableBaseUrl, safeHttpUrl } from './safeHttpUrl';

describe('safeHttpUrl', () => {
  it.each([
    ['http://localhost:16686', 'http://localhost:16686/'],
    [
      'https://grafana.example.com/explore?x=1',
      'https://grafana.example.com/explore?x=1',
    ],
    ['HTTPS://Example.COM/a', 'https://example.com/a'],
  ])('keeps %s as %s', (url, expected) => {
    expect(safeHttpUrl(url)).toBe(expected);
  });

  it.each([
    'javascript:alert(1)',
    ' javascript:alert(1)',
    'JavaScript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    'ftp://example.com',
    '//example.com/path',
    '/relative/path',
    'not a url',
    '',
  ])('rejects %j', url => {
    expect(safeHttpUrl(url)).toBeUndefined();
  });
});

describe('base URLs', () => {
  it('accepts plain http(s) URLs, with or without a path', () => {
    expect(baseUrlProblem('http://localhost:16686')).toBeUndefined();
    expect(baseUrlProblem('https://example.com/grafana/')).toBeUndefined();
  });

  it.each([
    ['javascript:alert(1)', 'must be an absolute http:// or https:// URL'],
    [
      'https://admin:secret@grafana.example.com',
      'must not contain credentials',
    ],
    [
      'https://grafana.example.com/?orgId=2',
      'must not contain a query or fragment',
    ],
    [
      'https://grafana.example.com/#top',
      'must not contain a query or fragment',
    ],
  ])('rejects %s: it %s', (url, problem) => {
    expect(baseUrlProblem(url)).toBe(problem);
    expect(joinableBaseUrl(url)).toBeUndefined();
  });

  it('drops trailing slashes so paths can be appended', () => {
    expect(joinableBaseUrl('https://example.com/grafana//')).toBe(
      'https://example.com/grafana',
    );
    expect(joinableBaseUrl('http://localhost:16686')).toBe(
      'http://localhost:16686',
    );
  });
});
