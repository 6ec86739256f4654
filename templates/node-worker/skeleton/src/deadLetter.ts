// Dead-lettering: a job that failed its last attempt is published, unchanged, to the dead-letter subject with its
// original headers (so `traceparent` still points at the producer's trace) plus Dead-Letter-* headers that say why.
// To replay one, publish its payload and original headers back to the job subject.
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { JetStreamClient } from '@nats-io/jetstream';
import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import { messagingAttributes, tracer } from './propagation.ts';

export const DEAD_LETTER_HEADERS = {
  /** The last error, one line, at most 1024 characters. */
  error: 'Dead-Letter-Error',
  /** How many times the job was delivered. */
  deliveries: 'Dead-Letter-Deliveries',
  subject: 'Dead-Letter-Subject',
  stream: 'Dead-Letter-Stream',
  sequence: 'Dead-Letter-Sequence',
  consumer: 'Dead-Letter-Consumer',
  /** When it was dead-lettered, RFC 3339. */
  time: 'Dead-Letter-Time',
} as const;

/** What dead-lettering needs from a JetStream message. */
export interface FailedJob {
  subject: string;
  data: Uint8Array;
  headers?: MsgHdrs | undefined;
  info: { stream: string; consumer: string; streamSequence: number; deliveryCount: number };
}

export type DeadLetterPublisher = (job: FailedJob, error: string) => Promise<void>;

const MAX_ERROR_LENGTH = 1024;

/** One line of at most 1024 characters: header values may not contain CR or LF. */
export function headerSafe(text: string): string {
  const line = text.replace(/[\r\n]+/g, ' ').trim();
  return line.length > MAX_ERROR_LENGTH ? `${line.slice(0, MAX_ERROR_LENGTH - 1)}…` : line;
}

/**
 * The headers of the dead-letter message: every original header except the `Nats-*` ones (publish options such as
 * Nats-Msg-Id or Nats-Expected-Stream that must not be replayed), plus the Dead-Letter-* headers.
 */
export function deadLetterHeaders(job: FailedJob, error: string, now: Date = new Date()): MsgHdrs {
  const headers = natsHeaders();
  for (const [key, values] of job.headers ?? []) {
    if (key.toLowerCase().startsWith('nats-')) continue;
    for (const value of values) headers.append(key, value);
  }
  const add: Record<string, string> = {
    [DEAD_LETTER_HEADERS.error]: headerSafe(error) || 'unknown error',
    [DEAD_LETTER_HEADERS.deliveries]: String(job.info.deliveryCount),
    [DEAD_LETTER_HEADERS.subject]: job.subject,
    [DEAD_LETTER_HEADERS.stream]: job.info.stream,
    [DEAD_LETTER_HEADERS.sequence]: String(job.info.streamSequence),
    [DEAD_LETTER_HEADERS.consumer]: job.info.consumer,
    [DEAD_LETTER_HEADERS.time]: now.toISOString(),
  };
  for (const [key, value] of Object.entries(add)) headers.set(key, value);
  return headers;
}

/**
 * A message id per original message, so a dead-letter publish that is repeated (the worker crashed between
 * publishing and acking) is stored once: JetStream drops duplicates within the stream's duplicate window.
 */
export function deadLetterMsgId(job: FailedJob): string {
  return `dlq:${job.info.stream}:${job.info.streamSequence}`;
}

/** Publishes failed jobs to `dlqSubject` and waits until the dead-letter stream has stored them. */
export function createDeadLetterPublisher(
  js: Pick<JetStreamClient, 'publish'>,
  dlqSubject: string,
): DeadLetterPublisher {
  return (job, error) =>
    tracer.startActiveSpan(
      `send ${dlqSubject}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: messagingAttributes('send', dlqSubject, {
          'messaging.message.body.size': job.data.byteLength,
        }),
      },
      async span => {
        try {
          await js.publish(dlqSubject, job.data, {
            headers: deadLetterHeaders(job, error),
            msgID: deadLetterMsgId(job),
          });
        } catch (publishError) {
          span.recordException(publishError as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: (publishError as Error).message });
          throw publishError;
        } finally {
          span.end();
        }
      },
    );
}
