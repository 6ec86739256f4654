import {
  formatOtelResourceAttributes,
  parseOtelResourceAttributes,
} from './otelResourceAttributes';

describe('OTEL_RESOURCE_ATTRIBUTES', () => {
  it('joins key=value pairs with commas', () => {
    expect(
      formatOtelResourceAttributes({
        'deployment.environment.name': 'prod',
        'service.namespace': 'payments',
        cost_center: 'CC-1234',
      }),
    ).toBe(
      'deployment.environment.name=prod,service.namespace=payments,cost_center=CC-1234',
    );
  });

  it('is empty for no attributes', () => {
    expect(formatOtelResourceAttributes({})).toBe('');
  });

  it.each([
    ['a,b', 'a%2Cb'],
    ['a=b', 'a%3Db'],
    ['100%', '100%25'],
    ['two words', 'two%20words'],
    ['say "hi"', 'say%20%22hi%22'],
    ['a;b\\c', 'a%3Bb%5Cc'],
    ['tab\tnewline\n', 'tab%09newline%0A'],
    ['café', 'caf%C3%A9'],
    ['🚀', '%F0%9F%9A%80'],
    ["keep:/._-~!#$&'()*+<>?@[]^`{|}", "keep:/._-~!#$&'()*+<>?@[]^`{|}"],
  ])('percent-encodes %j as %s', (value, encoded) => {
    expect(formatOtelResourceAttributes({ k: value })).toBe(`k=${encoded}`);
  });

  it('encodes keys the same way', () => {
    expect(formatOtelResourceAttributes({ 'odd key=': 'v' })).toBe(
      'odd%20key%3D=v',
    );
  });

  it('parses what it formats back unchanged', () => {
    const attributes = {
      team: 'payments',
      note: 'a,b=c 100% "quoted"; café 🚀',
      'odd key=': 'x',
    };
    expect(
      parseOtelResourceAttributes(formatOtelResourceAttributes(attributes)),
    ).toEqual(attributes);
  });

  it('parses values written by hand, trimming spaces around pairs', () => {
    expect(
      parseOtelResourceAttributes(' team=payments , env=prod,,a=b=c '),
    ).toEqual({ team: 'payments', env: 'prod', a: 'b=c' });
  });

  it('rejects pairs without a key and broken encodings', () => {
    expect(() => parseOtelResourceAttributes('team')).toThrow(
      'Invalid OTEL_RESOURCE_ATTRIBUTES entry "team": expected key=value',
    );
    expect(() => parseOtelResourceAttributes('=x')).toThrow(
      'Invalid OTEL_RESOURCE_ATTRIBUTES entry "=x": expected key=value',
    );
    expect(() => parseOtelResourceAttributes('k=%E0%A4%A')).toThrow(
      'Invalid OTEL_RESOURCE_ATTRIBUTES text "%E0%A4%A": broken percent-encoding',
    );
  });
});
