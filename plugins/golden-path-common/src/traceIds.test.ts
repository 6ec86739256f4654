import { datadogTraceId, isValidTraceId, normalizeTraceId } from './traceIds';

describe('trace ids', () => {
  it.each([
    '4bf92f3577b34da6a3ce929d0e0e4736',
    '4BF92F3577B34DA6A3CE929D0E0E4736',
    '00000000000000000000000000000001',
  ])('accepts %s', id => {
    expect(isValidTraceId(id)).toBe(true);
  });

  it.each([
    ['all zeros', '00000000000000000000000000000000'],
    ['31 digits', '4bf92f3577b34da6a3ce929d0e0e473'],
    ['33 digits', '4bf92f3577b34da6a3ce929d0e0e47360'],
    ['a non-hex digit', '4bf92f3577b34da6a3ce929d0e0e473g'],
    ['a 64-bit id', 'a3ce929d0e0e4736'],
    ['surrounding spaces', ' 4bf92f3577b34da6a3ce929d0e0e4736 '],
    ['dashes (a UUID)', '4bf92f35-77b3-4da6-a3ce-929d0e0e4736'],
    ['nothing', ''],
  ])('rejects %s', (_, id) => {
    expect(isValidTraceId(id)).toBe(false);
    expect(normalizeTraceId(id)).toBeUndefined();
  });

  it('normalises to lowercase', () => {
    expect(normalizeTraceId('4BF92F3577B34DA6A3CE929D0E0E4736')).toBe(
      '4bf92f3577b34da6a3ce929d0e0e4736',
    );
  });

  describe('Datadog form', () => {
    it('is the decimal of the low 64 bits', () => {
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const expected = BigInt(`0x${traceId.slice(16)}`).toString(10);
      expect(expected).toBe('11803532876627986230');
      expect(datadogTraceId(traceId)).toBe(expected);
      expect(datadogTraceId(traceId.toUpperCase())).toBe(expected);
    });

    it('treats the low 64 bits as unsigned', () => {
      expect(datadogTraceId('0000000000000000ffffffffffffffff')).toBe(
        '18446744073709551615',
      );
      expect(datadogTraceId('00000000000000000000000000000001')).toBe('1');
    });

    it('has no form for ids whose low 64 bits are zero, or invalid ids', () => {
      expect(
        datadogTraceId('00000000000000010000000000000000'),
      ).toBeUndefined();
      expect(datadogTraceId('not-a-trace-id')).toBeUndefined();
    });
  });
});
