import { mockCredentials } from '@backstage/backend-test-utils';
import { TraceOwnersResponse } from '@golden-path/common';
import request from 'supertest';
import { startCatalogTestBackend } from '../__testUtils__/catalogTestBackend';
import {
  JAEGER_VERSION,
  RunningJaeger,
  buildTraceEmitter,
  emitTrace,
  jaegerBinary,
  startJaeger,
  waitForTrace,
} from './__testUtils__/jaeger';
import { traceOrg } from './__testUtils__/traceOrg';

// The trace-owner route against a live Jaeger v2 holding a trace sent through the OpenTelemetry Go SDK. Building
// Jaeger takes about 5 minutes on 2 cores, too slow for every cold CI run: `./scripts/jaeger` builds it once, and
// this test runs whenever it is built. traceOwners.test.ts covers the same with Jaeger's recorded answers.

jest.setTimeout(180_000);

const bin = jaegerBinary();
const describeLive = bin ? describe : describe.skip;
if (!bin) {
  // eslint-disable-next-line no-console
  console.info(
    `Skipping the live Jaeger test: Jaeger ${JAEGER_VERSION} is not built on this machine (./scripts/jaeger builds it, about 5 min).`,
  );
}

describeLive(
  `owners of a trace held by a live Jaeger ${JAEGER_VERSION}`,
  () => {
    let jaeger: RunningJaeger;
    let backend: Awaited<ReturnType<typeof startCatalogTestBackend>>;
    let traceId: string;

    beforeAll(async () => {
      const emitter = buildTraceEmitter();
      jaeger = await startJaeger(bin!);
      traceId = emitTrace(emitter, jaeger.otlpUrl);
      await waitForTrace(jaeger.queryUrl, traceId);
      backend = await startCatalogTestBackend(traceOrg, {
        config: {
          serviceInsights: {
            traceQuery: {
              backends: [{ type: 'jaeger', baseUrl: jaeger.queryUrl }],
            },
          },
        },
      });
    });
    // startTestBackend stops the backend after the tests by itself.
    afterAll(() => jaeger?.stop());

    it('maps every service in the trace to its component and owning team', async () => {
      const res = await request(backend.server)
        .get(`/api/service-insights/traces/${traceId.toUpperCase()}/owners`)
        .set(
          'Authorization',
          mockCredentials.user.header('user:default/alice'),
        );
      expect(res.status).toBe(200);
      const body: TraceOwnersResponse = res.body;
      expect(body.traceId).toBe(traceId);
      expect(body.backends).toEqual([
        { title: 'Jaeger', type: 'jaeger', status: 'found' },
      ]);
      const owners = Object.fromEntries(
        body.services.map(s => [
          s.serviceName,
          s.components.map(c => `${c.entityRef} (${c.owner.displayName})`),
        ]),
      );
      expect(owners).toEqual({
        'checkout-api': ['component:default/checkout-api (Checkout)'],
        'payments-api': ['component:default/payments-api (Payments)'],
        'fraud-scoring': [],
        'ledger-worker': ['component:default/ledger (Ledger)'],
      });
      expect(
        body.services.find(s => s.serviceName === 'payments-api')?.errorSpans,
      ).toBe(1);
    });

    it('answers not-found for a trace Jaeger does not hold', async () => {
      const res = await request(backend.server)
        .get(`/api/service-insights/traces/${'ab'.repeat(16)}/owners`)
        .set(
          'Authorization',
          mockCredentials.user.header('user:default/alice'),
        );
      expect(res.body.backends).toEqual([
        { title: 'Jaeger', type: 'jaeger', status: 'not-found' },
      ]);
    });
  },
);
