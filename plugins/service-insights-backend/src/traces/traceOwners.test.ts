import { mockCredentials } from '@backstage/backend-test-utils';
import { TraceOwnersResponse } from '@golden-path/common';
import { http, HttpResponse, delay } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { startCatalogTestBackend } from '../__testUtils__/catalogTestBackend';
import { traceFixture } from './__testUtils__/fixtures';
import { traceOrg } from './__testUtils__/traceOrg';

// The trace-owner route against Jaeger's recorded answers (and Tempo's documented format) served by msw, with the
// real catalog and permission backend behind it. traceOwners.jaeger.test.ts runs the same against a live Jaeger.

jest.setTimeout(60_000);

const jaeger = traceFixture('jaeger-trace');
const jaegerMissing = traceFixture('jaeger-trace-not-found');
const tempo = traceFixture('tempo-trace');
const traceId = jaeger.traceId;

const JAEGER = 'http://jaeger.test:16686';
const TEMPO = 'http://tempo.test:3200';
const TOKEN = 'Bearer tempo-secret';

/** A recorded answer as it was given: status, content type (Jaeger says text/plain) and body. */
const replay = (fixture: typeof jaeger) =>
  new HttpResponse(JSON.stringify(fixture.body), {
    status: fixture.status,
    headers: { 'Content-Type': fixture.contentType ?? 'application/json' },
  });

const mswServer = setupServer(
  http.get(`${JAEGER}/api/v3/traces/:id`, ({ params }) =>
    replay(params.id === jaeger.traceId ? jaeger : jaegerMissing),
  ),
  http.get(`${TEMPO}/api/traces/:id`, ({ params, request: req }) => {
    if (req.headers.get('authorization') !== TOKEN) {
      return new HttpResponse('unauthorized', { status: 401 });
    }
    return params.id === tempo.traceId
      ? replay(tempo)
      : new HttpResponse('trace not found', { status: 404 });
  }),
);
// The catalog and permission calls of the test backend are real HTTP on loopback: let them through.
beforeAll(() => mswServer.listen({ onUnhandledRequest: 'bypass' }));
afterEach(() => mswServer.resetHandlers());
afterAll(() => mswServer.close());

const ALICE = 'user:default/alice';
/** The test policy hides components annotated `test/secret` (the ledger) from users named guest*. */
const GUEST = 'user:default/guest-bob';

type Backend = Awaited<ReturnType<typeof startCatalogTestBackend>>;

async function owners(
  backend: Backend,
  user: string,
  id = traceId,
): Promise<TraceOwnersResponse> {
  const res = await request(backend.server)
    .get(`/api/service-insights/traces/${id}/owners`)
    .set('Authorization', mockCredentials.user.header(user));
  expect(res.status).toBe(200);
  return res.body;
}

const summary = (body: TraceOwnersResponse) =>
  body.services.map(s => ({
    service: s.serviceName,
    errorSpans: s.errorSpans,
    components: s.components.map(c => `${c.entityRef} by ${c.matchedBy}`),
    owners: s.components.map(c => c.owner.displayName),
  }));

describe('owners of a trace, from recorded Jaeger and Tempo answers', () => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await startCatalogTestBackend(traceOrg, {
      config: {
        serviceInsights: {
          traceQuery: {
            timeout: { seconds: 2 },
            backends: [
              { type: 'jaeger', baseUrl: JAEGER },
              {
                type: 'tempo',
                title: 'Tempo (EU)',
                baseUrl: TEMPO,
                headers: { Authorization: TOKEN },
              },
            ],
          },
        },
      },
    });
  });

  it('lists every service in the trace with the components, owning team and contacts behind it', async () => {
    const body = await owners(backend, ALICE);
    expect(body.traceId).toBe(traceId);
    expect(body.backends).toEqual([
      { title: 'Jaeger', type: 'jaeger', status: 'found' },
      { title: 'Tempo (EU)', type: 'tempo', status: 'found' },
    ]);
    // Services with failed spans first (checkout-api's call and payments-api's first attempt), then by spans.
    expect(summary(body)).toEqual([
      {
        service: 'checkout-api',
        errorSpans: 1,
        components: ['component:default/checkout-api by annotation'],
        owners: ['Checkout'],
      },
      {
        service: 'payments-api',
        errorSpans: 1,
        components: ['component:default/payments-api by name'],
        owners: ['Payments'],
      },
      {
        service: 'fraud-scoring',
        errorSpans: 0,
        // The component named fraud-scoring says its service is fraud-scoring-v2: not this one.
        components: [],
        owners: [],
      },
      {
        service: 'ledger-worker',
        errorSpans: 0,
        components: ['component:default/ledger by annotation'],
        owners: ['Ledger'],
      },
    ]);
    const payments = body.services[1].components[0];
    expect(payments.owner).toMatchObject({
      ref: 'group:default/team-payments',
      email: 'team-payments@example.com',
      chatChannel: '#team-payments-oncall',
      parents: [
        { ref: 'group:default/engineering', displayName: 'Engineering' },
      ],
    });
    expect(body.services.map(s => s.spans)).toEqual([5, 4, 2, 1]);
  });

  it('does not list components the caller may not read in the catalog', async () => {
    const body = await owners(backend, GUEST);
    const ledger = body.services.find(s => s.serviceName === 'ledger-worker');
    // The service is in the trace (that is trace data), but its component is not the guest's to see.
    expect(ledger?.components).toEqual([]);
    expect(JSON.stringify(body)).not.toContain('team-ledger');
    expect(
      body.services.find(s => s.serviceName === 'payments-api')?.components,
    ).toHaveLength(1);
  });

  it('answers not-found per backend for a trace neither has', async () => {
    const body = await owners(backend, ALICE, jaegerMissing.traceId);
    expect(body.backends.map(b => b.status)).toEqual([
      'not-found',
      'not-found',
    ]);
    expect(body.services).toEqual([]);
  });

  it('refuses what is not a trace id, naming the rule', async () => {
    const res = await request(backend.server)
      .get('/api/service-insights/traces/..%2F..%2Fadmin/owners')
      .set('Authorization', mockCredentials.user.header(ALICE));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/traceId must be .*32 hexadecimal/);
  });

  it('requires a signed-in caller', async () => {
    const res = await request(backend.server).get(
      `/api/service-insights/traces/${traceId}/owners`,
    );
    expect(res.status).toBe(401);
  });

  it('still answers from one backend when the other fails, and says which failed', async () => {
    mswServer.use(
      http.get(`${TEMPO}/api/traces/:id`, () =>
        HttpResponse.text('boom', { status: 500 }),
      ),
    );
    const body = await owners(backend, ALICE);
    expect(body.backends[1]).toEqual({
      title: 'Tempo (EU)',
      type: 'tempo',
      status: 'error',
      message: 'Tempo (EU) answered 500 Internal Server Error',
    });
    expect(body.services).toHaveLength(4);
  });

  it('never follows a redirect, so the credentials do not travel to another host', async () => {
    const seenElsewhere: Array<string | null> = [];
    mswServer.use(
      http.get(`${TEMPO}/api/traces/:id`, () =>
        HttpResponse.redirect(`http://attacker.test/steal`, 302),
      ),
      http.get('http://attacker.test/steal', ({ request: req }) => {
        seenElsewhere.push(req.headers.get('authorization'));
        return HttpResponse.json(tempo.body as any);
      }),
    );
    const body = await owners(backend, ALICE);
    expect(body.backends[1].status).toBe('error');
    expect(body.backends[1].message).toMatch(/redirect \(302\).*not followed/);
    expect(seenElsewhere).toEqual([]);
  });

  it('gives up on a backend that does not answer in time', async () => {
    mswServer.use(
      http.get(`${JAEGER}/api/v3/traces/:id`, async () => {
        await delay(5_000);
        return HttpResponse.json(jaeger.body as any);
      }),
    );
    const started = Date.now();
    const body = await owners(backend, ALICE);
    expect(Date.now() - started).toBeLessThan(4_500);
    expect(body.backends[0]).toMatchObject({
      status: 'error',
      message: 'Jaeger did not answer within 2000 ms',
    });
    // Tempo still had it.
    expect(body.services).toHaveLength(4);
  });

  it('says so when a backend answers with something that is not a trace', async () => {
    mswServer.use(
      http.get(`${JAEGER}/api/v3/traces/:id`, () =>
        HttpResponse.json({ data: [{ traceID: traceId }] }),
      ),
    );
    const body = await owners(backend, ALICE);
    expect(body.backends[0]).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/not a Jaeger \/api\/v3 trace/),
    });
  });
});

describe('response size limit', () => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await startCatalogTestBackend(traceOrg, {
      config: {
        serviceInsights: {
          traceQuery: {
            maxResponseBytes: 4096,
            backends: [{ type: 'jaeger', baseUrl: JAEGER }],
          },
        },
      },
    });
  });

  it('abandons an answer larger than maxResponseBytes', async () => {
    expect(JSON.stringify(jaeger.body).length).toBeGreaterThan(4096);
    const body = await owners(backend, ALICE);
    expect(body.backends[0]).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/more than 4096 bytes/),
    });
    expect(body.services).toEqual([]);
  });
});
