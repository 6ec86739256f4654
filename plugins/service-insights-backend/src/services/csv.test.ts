import { csvCell } from './csv';

describe('csvCell', () => {
  it.each(['=1+2', '+1', '-1', '@SUM(A1)', '\tx', '\rx'])(
    'defuses the formula prefix of %j',
    value => {
      expect(csvCell(value).replace(/^"/, '').startsWith("'")).toBe(true);
    },
  );

  it('quotes separators, quotes and line breaks', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('-a\nb')).toBe(`"'-a\nb"`);
  });

  it('leaves plain values alone', () => {
    expect(csvCell('payments-api')).toBe('payments-api');
    expect(csvCell(undefined)).toBe('');
  });
});
