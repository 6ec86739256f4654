import { fromSearchParams, toSearchParams } from './query';

describe('query parameters', () => {
  it('round-trips a full query', () => {
    const query = {
      types: ['service', 'worker'],
      team: 'group:default/team-payments',
      costCenter: 'CC-1001',
      environment: 'prod',
      lifecycle: 'production',
      compliance: 'invalid-tags' as const,
      q: 'checkout',
      sort: 'system' as const,
      order: 'desc' as const,
      page: 3,
      pageSize: 10,
    };
    expect(fromSearchParams(toSearchParams(query))).toEqual(query);
  });

  it('drops values a shared URL may carry but the backend does not accept', () => {
    expect(
      fromSearchParams(
        new URLSearchParams(
          'compliance=great&sort=cost&order=up&page=0&pageSize=-5&type=,,&team=',
        ),
      ),
    ).toEqual({});
  });
});
