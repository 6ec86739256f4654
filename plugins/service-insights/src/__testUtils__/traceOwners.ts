import { OwnerInsight, TraceOwnersResponse } from '@golden-path/common';

// What the backend's `/traces/{id}/owners` answers for the recorded checkout trace
// (plugins/service-insights-backend/src/traces/__fixtures__/jaeger-trace.json) with the trace test org.

export const TRACE_ID = 'ea34a1e3a253102bfc818de4a4dc2127';

function owner(team: string, displayName: string): OwnerInsight {
  return {
    ref: `group:default/${team}`,
    resolved: true,
    kind: 'Group',
    displayName,
    email: `${team}@example.com`,
    chatChannel: `#${team}-oncall`,
    parents: [{ ref: 'group:default/engineering', displayName: 'Engineering' }],
  };
}

export function traceOwnersResponse(
  overrides: Partial<TraceOwnersResponse> = {},
): TraceOwnersResponse {
  return {
    traceId: TRACE_ID,
    backends: [
      { title: 'Jaeger', type: 'jaeger', status: 'found' },
      {
        title: 'Tempo (EU)',
        type: 'tempo',
        status: 'error',
        message: 'Tempo (EU) did not answer within 5000 ms',
      },
    ],
    services: [
      {
        serviceName: 'checkout-api',
        spans: 5,
        errorSpans: 1,
        components: [
          {
            entityRef: 'component:default/checkout-api',
            title: 'checkout-api service',
            system: 'system:default/shop',
            lifecycle: 'production',
            owner: owner('team-checkout', 'Checkout'),
            matchedBy: 'annotation',
          },
        ],
      },
      {
        serviceName: 'payments-api',
        spans: 4,
        errorSpans: 1,
        components: [
          {
            entityRef: 'component:default/payments-api',
            title: 'payments-api service',
            owner: {
              ...owner('team-payments', 'Payments'),
              // Catalog data: must never become a link with hidden recipients.
              email: 'payments@example.com?bcc=attacker@evil.test',
              chatChannel: 'https://chat.example.com/payments-oncall',
            },
            matchedBy: 'name',
          },
        ],
      },
      {
        serviceName: 'fraud-scoring',
        spans: 2,
        errorSpans: 0,
        components: [],
      },
    ],
    ...overrides,
  };
}
