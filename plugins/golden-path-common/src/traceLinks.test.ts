/* eslint-disable no-script-url -- these tests check that script URLs never become links */
import {
  TraceBackend,
  datadogSiteProblem,
  serviceTraceLinks,
  traceIdLinks,
} from './traceLinks';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

const jaeger: TraceBackend = {
  type: 'jaeger',
  baseUrl: 'http://localhost:16686',
};
const tempo: TraceBackend = {
  type: 'grafana-tempo',
  baseUrl: 'https://grafana.example.com',
  datasourceUid: 'tempo',
  orgId: 1,
};
const honeycomb: TraceBackend = {
  type: 'honeycomb',
  team: 'acme',
  environment: 'prod',
};
const datadog: TraceBackend = { type: 'datadog', site: 'datadoghq.com' };

/** The decoded Grafana `panes` parameter of a link. */
function panesOf(url: string) {
  return JSON.parse(new URL(url).searchParams.get('panes')!);
}

/** The decoded Honeycomb `query` parameter of a link. */
function honeycombQueryOf(url: string) {
  return JSON.parse(new URL(url).searchParams.get('query')!);
}

describe('serviceTraceLinks', () => {
  it('gives one link per backend, in config order, with default titles', () => {
    const links = serviceTraceLinks([jaeger, tempo, honeycomb, datadog], {
      serviceName: 'payments-api',
      environment: 'prod',
    });
    expect(links.map(({ backend, title }) => [backend, title])).toEqual([
      ['jaeger', 'Jaeger'],
      ['grafana-tempo', 'Grafana Tempo'],
      ['honeycomb', 'Honeycomb'],
      ['datadog', 'Datadog APM'],
    ]);
  });

  it('uses the configured title', () => {
    const [link] = serviceTraceLinks([{ ...jaeger, title: 'Jaeger (dev)' }], {
      serviceName: 'payments-api',
    });
    expect(link.title).toBe('Jaeger (dev)');
  });

  it('searches Jaeger for the service over the last hour', () => {
    const [link] = serviceTraceLinks([jaeger], { serviceName: 'payments-api' });
    expect(link.url).toBe(
      'http://localhost:16686/search?service=payments-api&lookback=1h',
    );
  });

  it('keeps a base path and drops its trailing slash', () => {
    const [link] = serviceTraceLinks(
      [{ ...jaeger, baseUrl: 'https://example.com/jaeger/' }],
      { serviceName: 'payments-api' },
    );
    expect(link.url).toBe(
      'https://example.com/jaeger/search?service=payments-api&lookback=1h',
    );
  });

  it('opens Grafana Explore with a TraceQL query on service and environment', () => {
    const [link] = serviceTraceLinks([tempo], {
      serviceName: 'payments-api',
      environment: 'prod',
    });
    expect(link.url).toMatch(
      /^https:\/\/grafana\.example\.com\/explore\?schemaVersion=1&orgId=1&panes=%7B/,
    );
    expect(panesOf(link.url)).toEqual({
      a: {
        datasource: 'tempo',
        queries: [
          {
            refId: 'A',
            datasource: { type: 'tempo', uid: 'tempo' },
            queryType: 'traceql',
            query:
              '{resource.service.name="payments-api" && resource.deployment.environment.name="prod"}',
          },
        ],
        range: { from: 'now-1h', to: 'now' },
      },
    });
  });

  it('leaves orgId out when it is not configured, and filters on a custom environment attribute', () => {
    const [link] = serviceTraceLinks([{ ...tempo, orgId: undefined }], {
      serviceName: 'payments-api',
      environment: 'prod',
      environmentAttribute: 'env',
    });
    expect(new URL(link.url).searchParams.has('orgId')).toBe(false);
    expect(panesOf(link.url).a.queries[0].query).toBe(
      '{resource.service.name="payments-api" && resource.env="prod"}',
    );
  });

  it('queries the Honeycomb dataset named after the service', () => {
    const [link] = serviceTraceLinks([honeycomb], {
      serviceName: 'payments-api',
    });
    expect(link.url).toMatch(
      /^https:\/\/ui\.honeycomb\.io\/acme\/environments\/prod\/datasets\/payments-api\?query=/,
    );
    expect(honeycombQueryOf(link.url)).toEqual({
      time_range: 3600,
      calculations: [{ op: 'COUNT' }, { op: 'HEATMAP', column: 'duration_ms' }],
      filters: [{ column: 'service.name', op: '=', value: 'payments-api' }],
    });
  });

  it('uses the Honeycomb EU host, the configured dataset and the asked-for environment', () => {
    const [link] = serviceTraceLinks(
      [
        {
          type: 'honeycomb',
          team: 'acme',
          dataset: 'all-services',
          region: 'eu',
        },
      ],
      { serviceName: 'payments-api', environment: 'staging' },
    );
    expect(link.url).toMatch(
      /^https:\/\/ui\.eu1\.honeycomb\.io\/acme\/environments\/staging\/datasets\/all-services\?query=/,
    );
  });

  it('uses the Honeycomb Classic form when there is no environment at all', () => {
    const [link] = serviceTraceLinks([{ type: 'honeycomb', team: 'acme' }], {
      serviceName: 'payments-api',
    });
    expect(link.url).toMatch(
      /^https:\/\/ui\.honeycomb\.io\/acme\/datasets\/payments-api\?query=/,
    );
  });

  it('opens the Datadog service page, on the app host for the main sites', () => {
    const links = serviceTraceLinks(
      [datadog, { type: 'datadog', site: 'us5.datadoghq.com' }],
      { serviceName: 'payments-api', environment: 'prod' },
    );
    expect(links.map(link => link.url)).toEqual([
      'https://app.datadoghq.com/apm/services/payments-api?env=prod',
      'https://us5.datadoghq.com/apm/services/payments-api?env=prod',
    ]);
  });

  it('encodes service names so they cannot break out of the URL or the query', () => {
    const serviceName = 'a&b=c"d} || {x="y #/?';
    const links = serviceTraceLinks([jaeger, tempo, honeycomb, datadog], {
      serviceName,
    });
    expect(links[0].url).toBe(
      'http://localhost:16686/search?service=a%26b%3Dc%22d%7D%20%7C%7C%20%7Bx%3D%22y%20%23%2F%3F&lookback=1h',
    );
    expect(new URL(links[0].url).searchParams.get('service')).toBe(serviceName);
    expect(panesOf(links[1].url).a.queries[0].query).toBe(
      '{resource.service.name="a&b=c\\"d} || {x=\\"y #/?"}',
    );
    expect(honeycombQueryOf(links[2].url).filters[0].value).toBe(serviceName);
    expect(new URL(links[2].url).pathname).toBe(
      '/acme/environments/prod/datasets/a%26b%3Dc%22d%7D%20%7C%7C%20%7Bx%3D%22y%20%23%2F%3F',
    );
    expect(links[3].url).toBe(
      'https://app.datadoghq.com/apm/services/a%26b%3Dc%22d%7D%20%7C%7C%20%7Bx%3D%22y%20%23%2F%3F',
    );
  });

  it('escapes backslashes in TraceQL strings', () => {
    const [link] = serviceTraceLinks([tempo], { serviceName: 'a\\"b' });
    expect(panesOf(link.url).a.queries[0].query).toBe(
      '{resource.service.name="a\\\\\\"b"}',
    );
  });

  it('drops backends whose base URL or site is unsafe or malformed', () => {
    const links = serviceTraceLinks(
      [
        { type: 'jaeger', baseUrl: 'javascript:alert(1)//' },
        { type: 'jaeger', baseUrl: 'data:text/html,hi' },
        { ...tempo, baseUrl: 'https://admin:secret@grafana.example.com' },
        { type: 'datadog', site: 'evil.example.com/x?' },
        { type: 'honeycomb', team: '' },
        jaeger,
      ],
      { serviceName: 'payments-api' },
    );
    expect(links.map(link => link.url)).toEqual([
      'http://localhost:16686/search?service=payments-api&lookback=1h',
    ]);
  });

  it('gives no links for an empty service name', () => {
    expect(serviceTraceLinks([jaeger], { serviceName: '  ' })).toEqual([]);
  });
});

describe('traceIdLinks', () => {
  it('links to the trace in every backend that can show it', () => {
    const links = traceIdLinks(
      [jaeger, tempo, honeycomb, datadog],
      TRACE_ID.toUpperCase(),
      { serviceName: 'payments-api' },
    );
    expect(links.map(link => link.url)).toEqual([
      `http://localhost:16686/trace/${TRACE_ID}`,
      expect.stringMatching(
        /^https:\/\/grafana\.example\.com\/explore\?schemaVersion=1&orgId=1&panes=/,
      ),
      `https://ui.honeycomb.io/acme/environments/prod/datasets/payments-api/trace?trace_id=${TRACE_ID}`,
      'https://app.datadoghq.com/apm/trace/11803532876627986230',
    ]);
    expect(panesOf(links[1].url).a.queries[0]).toEqual({
      refId: 'A',
      datasource: { type: 'tempo', uid: 'tempo' },
      queryType: 'traceql',
      query: TRACE_ID,
    });
  });

  it('narrows the time window around a timestamp where the backend supports it', () => {
    const timestamp = new Date('2025-01-02T03:04:05.678Z');
    const links = traceIdLinks([tempo, honeycomb, datadog], TRACE_ID, {
      serviceName: 'payments-api',
      timestamp,
    });
    const ms = timestamp.getTime();
    expect(panesOf(links[0].url).a.range).toEqual({
      from: String(ms - 3600000),
      to: String(ms + 3600000),
    });
    expect(links[1].url).toBe(
      `https://ui.honeycomb.io/acme/environments/prod/datasets/payments-api/trace?trace_id=${TRACE_ID}&trace_start_ts=1735783445&trace_end_ts=1735790646`,
    );
    expect(links[2].url).toBe(
      `https://app.datadoghq.com/apm/trace/11803532876627986230?timeHint=${ms}`,
    );
  });

  it('leaves Honeycomb out when neither a dataset nor a service name is known', () => {
    expect(traceIdLinks([honeycomb], TRACE_ID)).toEqual([]);
    expect(
      traceIdLinks([{ ...honeycomb, dataset: 'traces' }], TRACE_ID)[0].url,
    ).toBe(
      `https://ui.honeycomb.io/acme/environments/prod/datasets/traces/trace?trace_id=${TRACE_ID}`,
    );
  });

  it('leaves Datadog out when the low 64 bits of the id are zero', () => {
    expect(traceIdLinks([datadog], '00000000000000010000000000000000')).toEqual(
      [],
    );
  });

  it('gives no links for an invalid trace id', () => {
    expect(traceIdLinks([jaeger], 'abc')).toEqual([]);
    expect(traceIdLinks([jaeger], '0'.repeat(32))).toEqual([]);
  });
});

describe('datadogSiteProblem', () => {
  it.each([
    'datadoghq.com',
    'datadoghq.eu',
    'us5.datadoghq.com',
    'ddog-gov.com',
  ])('accepts %s', site => {
    expect(datadogSiteProblem(site)).toBeUndefined();
  });

  it.each(['https://datadoghq.com', 'datadoghq.com/apm', 'localhost', ''])(
    'rejects %j',
    site => {
      expect(datadogSiteProblem(site)).toBe(
        'must be a Datadog site host name such as datadoghq.com or us5.datadoghq.com, without scheme or path',
      );
    },
  );
});
