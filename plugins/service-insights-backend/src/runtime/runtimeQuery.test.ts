import { MAX_RUNTIME_REFS } from '@golden-path/common';
import { parseQuery, runtimeQuery } from '../queryParams';

describe('GET /runtime parameters', () => {
  it('takes repeated or comma-separated component refs, normalised', () => {
    expect(
      parseQuery(runtimeQuery, { ref: ['payments-api', 'component:default/search-api,billing'] }),
    ).toEqual([
      'component:default/payments-api',
      'component:default/search-api',
      'component:default/billing',
    ]);
  });

  it('refuses another kind, naming the parameter and an example', () => {
    expect(() => parseQuery(runtimeQuery, { ref: 'group:default/team-payments' })).toThrow(
      'ref must be a component entity ref such as component:default/payments-api, got "group:default/team-payments"',
    );
  });

  it('refuses more refs than a page and a missing ref', () => {
    const refs = Array.from({ length: MAX_RUNTIME_REFS + 1 }, (_, i) => `svc-${i}`);
    expect(() => parseQuery(runtimeQuery, { ref: refs })).toThrow(
      `ref may be given at most ${MAX_RUNTIME_REFS} times`,
    );
    expect(() => parseQuery(runtimeQuery, {})).toThrow('ref is required');
    expect(() => parseQuery(runtimeQuery, { ref: 'a', other: 'b' })).toThrow();
  });
});
