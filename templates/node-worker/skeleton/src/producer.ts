// The producer side: how any service enqueues a job for this worker. Copy publishJob into the producing service
// (it needs @nats-io/jetstream and @opentelemetry/api only), or publish with any NATS client and set a W3C
// `traceparent` header yourself.
import { context, propagation, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { messagingAttributes, natsHeaderSetter, tracer } from './propagation.ts';

export interface PublishJobOptions {
  /**
   * Idempotency key, sent as `Nats-Msg-Id`: JetStream drops a second message with the same id published within
   * the stream's duplicate window (2 minutes by default), so a producer can safely retry a publish.
   */
  msgId?: string;
  /** Extra headers to send with the job. */
  headers?: Record<string, string>;
}

/**
 * Publishes a job to `subject` on JetStream and waits for the stream to store it. Runs in a PRODUCER span
 * `send <subject>` and injects that span's context into the message headers, so the worker's CONSUMER span
 * becomes its child. `payload` is sent as is when it is bytes or a string, and as JSON otherwise.
 */
export async function publishJob(
  js: Pick<JetStreamClient, 'publish'>,
  subject: string,
  payload: unknown,
  options: PublishJobOptions = {},
): Promise<PubAck> {
  const data =
    payload instanceof Uint8Array
      ? payload
      : new TextEncoder().encode(typeof payload === 'string' ? payload : JSON.stringify(payload));
  return tracer.startActiveSpan(
    `send ${subject}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: messagingAttributes('send', subject, {
        'messaging.message.body.size': data.byteLength,
        ...(options.msgId ? { 'messaging.message.id': options.msgId } : {}),
      }),
    },
    async span => {
      try {
        const headers = natsHeaders();
        for (const [key, value] of Object.entries(options.headers ?? {})) headers.set(key, value);
        propagation.inject(context.active(), headers, natsHeaderSetter);
        const ack = await js.publish(subject, data, {
          headers,
          ...(options.msgId ? { msgID: options.msgId } : {}),
        });
        span.setAttribute('messaging.nats.stream.sequence', ack.seq);
        return ack;
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}
