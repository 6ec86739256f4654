// Trace context in NATS message headers, and the messaging span attributes shared by producer and consumer.
//
// A producer injects the W3C `traceparent` (and `baggage`) into the headers of the message it publishes; the
// worker extracts them, so the job's CONSUMER span continues the producer's trace. The propagators themselves come
// from OTEL_PROPAGATORS (default tracecontext,baggage) via the SDK bootstrap in src/telemetry.ts.
import { trace, type Attributes, type TextMapGetter, type TextMapSetter } from '@opentelemetry/api';
import { Match, type MsgHdrs } from '@nats-io/transport-node';
import { APP_NAME } from './config.ts';

/** The tracer for the worker's own spans; its name shows as the instrumentation scope. */
export const tracer = trace.getTracer(APP_NAME);

/**
 * Reads propagation fields from NATS headers. Header names are matched case-insensitively: Go producers using
 * `propagation.HeaderCarrier` write `Traceparent`, JavaScript ones `traceparent`.
 */
export const natsHeaderGetter: TextMapGetter<MsgHdrs | undefined> = {
  keys: headers => (headers ? headers.keys() : []),
  get: (headers, key) => {
    const values = headers?.values(key, Match.IgnoreCase) ?? [];
    return values.length <= 1 ? values[0] : values;
  },
};

/** Writes propagation fields into NATS headers. */
export const natsHeaderSetter: TextMapSetter<MsgHdrs> = {
  set: (headers, key, value) => headers.set(key, value),
};

/** Messaging semantic-convention attributes (https://opentelemetry.io/docs/specs/semconv/messaging/). */
export function messagingAttributes(
  operation: 'send' | 'process',
  subject: string,
  extra: Attributes = {},
): Attributes {
  return {
    'messaging.system': 'nats',
    'messaging.destination.name': subject,
    'messaging.operation.type': operation,
    'messaging.operation.name': operation,
    ...extra,
  };
}
