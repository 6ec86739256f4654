import {
  SERVICE_FILTER_PARAMETERS,
  serviceFiltersOf,
  serviceQueryFromSearchParams as fromSearchParams,
  serviceQueryToSearchParams as toSearchParams,
} from './serviceInsightsQuery';

describe('service-insights query parameters', () => {
  it('round-trips a full query', () => {
    const query = {
      types: ['service', 'worker'],
      team: 'group:default/team-payments',
      costCenters: ['CC-1001', 'CC-2002'],
      environments: ['prod'],
      lifecycles: ['production'],
      compliance: ['invalid-tags' as const],
      q: 'checkout',
      sort: 'system' as const,
      order: 'desc' as const,
      page: 3,
      pageSize: 10,
    };
    expect(fromSearchParams(toSearchParams(query))).toEqual(query);
  });

  it('names the parameters as the backend expects them, lists comma-separated', () => {
    expect(
      toSearchParams({
        types: ['service', ' worker '],
        costCenters: ['CC-1001'],
        compliance: ['noncompliant'],
        page: 2,
      }).toString(),
    ).toBe(
      'type=service%2Cworker&costCenter=CC-1001&compliance=noncompliant&page=2',
    );
  });

  it('reads repeated and comma-separated list parameters alike', () => {
    expect(
      fromSearchParams(
        new URLSearchParams(
          'costCenter=CC-1,CC-2&costCenter=CC-3&costCenter=CC-1',
        ),
      ),
    ).toEqual({ costCenters: ['CC-1', 'CC-2', 'CC-3'] });
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

  it('takes only the filters of a query', () => {
    const filters = serviceFiltersOf({
      team: 'group:default/a',
      sort: 'name',
      page: 2,
    });
    expect(Object.keys(filters).sort()).toEqual(
      Object.keys(SERVICE_FILTER_PARAMETERS).sort(),
    );
    expect(JSON.parse(JSON.stringify(filters))).toEqual({
      team: 'group:default/a',
    });
  });
});
