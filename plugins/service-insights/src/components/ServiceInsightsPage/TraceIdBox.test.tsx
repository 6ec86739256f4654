import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  TestApiProvider,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/test-utils';
import { readGoldenPathPolicy } from '@golden-path/common';
import { ConfigReader } from '@backstage/core-app-api';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { testApis } from '../../__testUtils__/apis';
import { BASE_URL, CONFIG } from '../../__testUtils__/fixtures';
import { TRACE_ID, traceOwnersResponse } from '../../__testUtils__/traceOwners';
import { TraceIdBox } from './TraceIdBox';

const server = setupServer();
registerMswTestHooks(server);

const policy = readGoldenPathPolicy(new ConfigReader(CONFIG));

async function pasteTraceId(traceId: string) {
  await renderInTestApp(
    <TestApiProvider apis={testApis()}>
      <TraceIdBox policy={policy} />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  await userEvent.click(screen.getByLabelText('Trace ID'));
  await userEvent.paste(traceId);
}

describe('TraceIdBox: who to page for a trace', () => {
  it('lists the services in the trace with their component, owning team and contacts', async () => {
    const asked: string[] = [];
    server.use(
      http.get(`${BASE_URL}/traces/:traceId/owners`, ({ params }) => {
        asked.push(String(params.traceId));
        return HttpResponse.json(traceOwnersResponse());
      }),
    );
    await pasteTraceId(TRACE_ID.toUpperCase());

    const table = await screen.findByRole('table', {
      name: 'Services in this trace',
    });
    // Asked once, by the backend route, with the normalised id.
    expect(asked).toEqual([TRACE_ID]);
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map(r => r.textContent)).toEqual([
      expect.stringMatching(
        /^checkout-api5 \(1 failed\)checkout-api serviceCheckoutin Engineeringteam-checkout@example\.com#team-checkout-oncall$/,
      ),
      expect.stringMatching(
        /^payments-api4 \(1 failed\)payments-api servicePayments/,
      ),
      expect.stringMatching(
        /^fraud-scoring2No component you can see carries this service name/,
      ),
    ]);
    expect(
      within(rows[0]).getByRole('link', { name: 'checkout-api service' }),
    ).toHaveAttribute('href', '/catalog/default/component/checkout-api');
    expect(
      within(rows[0]).getByRole('link', { name: 'Checkout' }),
    ).toHaveAttribute('href', '/catalog/default/group/team-checkout');
    expect(
      within(rows[0]).getByRole('link', { name: 'team-checkout@example.com' }),
    ).toHaveAttribute('href', 'mailto:team-checkout@example.com');
    // An address with smuggled headers stays text; an http(s) chat link is a link.
    expect(
      within(rows[1]).queryByRole('link', { name: /bcc/ }),
    ).not.toBeInTheDocument();
    expect(
      within(rows[1]).getByRole('link', {
        name: 'https://chat.example.com/payments-oncall',
      }),
    ).toHaveAttribute('href', 'https://chat.example.com/payments-oncall');
    // A backend that failed is named, the others' answers still shown.
    expect(
      screen.getByText('Tempo (EU) did not answer within 5000 ms'),
    ).toBeInTheDocument();
  });

  it('says when no configured backend holds the trace', async () => {
    server.use(
      http.get(`${BASE_URL}/traces/:traceId/owners`, () =>
        HttpResponse.json(
          traceOwnersResponse({
            backends: [
              { title: 'Jaeger', type: 'jaeger', status: 'not-found' },
            ],
            services: [],
          }),
        ),
      ),
    );
    await pasteTraceId(TRACE_ID);
    expect(
      await screen.findByText(
        'No configured tracing backend (Jaeger) holds this trace.',
      ),
    ).toBeInTheDocument();
  });

  it('says where to configure a trace query API when none is', async () => {
    server.use(
      http.get(`${BASE_URL}/traces/:traceId/owners`, () =>
        HttpResponse.json({ traceId: TRACE_ID, backends: [], services: [] }),
      ),
    );
    await pasteTraceId(TRACE_ID);
    expect(
      await screen.findByText(/serviceInsights\.traceQuery in\s+app-config/),
    ).toBeInTheDocument();
  });

  it('shows the error when the backend refuses', async () => {
    server.use(
      http.get(`${BASE_URL}/traces/:traceId/owners`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'InputError',
              message: 'traceId must be a trace id',
            },
          },
          { status: 400 },
        ),
      ),
    );
    await pasteTraceId(TRACE_ID);
    expect(
      await screen.findByText(/traceId must be a trace id/),
    ).toBeInTheDocument();
  });

  it('asks nothing for an invalid trace id', async () => {
    const asked: string[] = [];
    server.use(
      http.get(`${BASE_URL}/traces/:traceId/owners`, ({ params }) => {
        asked.push(String(params.traceId));
        return HttpResponse.json(traceOwnersResponse());
      }),
    );
    await pasteTraceId('not-a-trace');
    expect(screen.getByText(/is not a trace id/)).toBeInTheDocument();
    expect(asked).toEqual([]);
  });
});
