// One delivery of one job: a CONSUMER span that continues the producer's trace, the handler, then exactly one of
// ack (done), nak with a delay (retry later) or dead-letter + ack (give up).
import { propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { MsgHdrs } from '@nats-io/transport-node';
import type { DeadLetterPublisher, FailedJob } from './deadLetter.ts';
import type { JobMetrics, JobOutcome } from './jobMetrics.ts';
import type { Logger } from './logger.ts';
import { messagingAttributes, natsHeaderGetter, tracer } from './propagation.ts';
import { decideAfterFailure, isBeyondLastAttempt, retryDelayMs, type RetryPolicy } from './retry.ts';

/** What the worker needs from a JetStream message (a JsMsg has all of it). */
export interface JobMessage extends FailedJob {
  /** Acks and waits for the server to confirm. */
  ackAck(): Promise<boolean>;
  /** Asks for redelivery after `millis`. */
  nak(millis?: number): void;
}

export interface JobContext {
  subject: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** The last attempt: if it throws, the job is dead-lettered. */
  isLastAttempt: boolean;
  headers?: MsgHdrs | undefined;
  logger: Logger;
}

/**
 * Processes one job. Resolve when it is done; throw to have it retried (or dead-lettered after MAX_DELIVER
 * attempts). A job can be delivered more than once (a crash between finishing and acking, an ack wait that ran
 * out), so make handlers idempotent.
 */
export type JobHandler = (data: Uint8Array, job: JobContext) => Promise<void>;

export type Outcome = 'ack' | 'retry' | 'dead-letter';

/**
 * A failure that no retry can fix (say, a payload that is not a valid job). Throw it, or a subclass, from a handler
 * and the job goes to the dead-letter subject at once instead of using up its attempts.
 */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}

export interface DeliveryDeps {
  handler: JobHandler;
  policy: RetryPolicy;
  deadLetter: DeadLetterPublisher;
  logger: Logger;
  /** Where each delivery's outcome and duration are counted (createJobMetrics()). */
  metrics: JobMetrics;
  random?: () => number;
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/**
 * Runs the handler for one delivery and settles the message: ack, nak with a delay, or dead-letter and ack. The
 * delivery is traced (a CONSUMER span) and counted in the job metrics.
 */
export async function processDelivery(msg: JobMessage, deps: DeliveryDeps): Promise<Outcome> {
  const started = performance.now();
  let outcome: JobOutcome = 'crashed';
  try {
    outcome = await tracedDelivery(msg, deps);
    return outcome;
  } finally {
    deps.metrics.record(msg.subject, outcome, (performance.now() - started) / 1000);
  }
}

function tracedDelivery(msg: JobMessage, deps: DeliveryDeps): Promise<Outcome> {
  const { policy, logger } = deps;
  const attempt = msg.info.deliveryCount;
  const parent = propagation.extract(ROOT_CONTEXT, msg.headers, natsHeaderGetter);
  const fields = {
    subject: msg.subject,
    stream: msg.info.stream,
    seq: msg.info.streamSequence,
    attempt,
    max_deliver: policy.maxDeliver,
  };

  // The span's attributes are added once the sampler has decided to record it, all in one call: by the policy's
  // default 9 jobs in 10 are not recorded, and the SDK validates and copies every attribute handed to startSpan,
  // recorded or not (a WeakSet per value), which was the largest part of its cost per unsampled job. No sampler
  // that OTEL_TRACES_SAMPLER can select reads attributes; a custom sampler that does would need them passed here.
  return tracer.startActiveSpan(`process ${msg.subject}`, { kind: SpanKind.CONSUMER }, parent, async span => {
    if (span.isRecording()) {
      const msgId = msg.headers?.get('Nats-Msg-Id');
      span.setAttributes(
        messagingAttributes('process', msg.subject, {
          'messaging.consumer.group.name': msg.info.consumer,
          'messaging.message.body.size': msg.data.byteLength,
          ...(msgId ? { 'messaging.message.id': msgId } : {}),
          'messaging.nats.stream': msg.info.stream,
          'messaging.nats.stream.sequence': msg.info.streamSequence,
          'messaging.nats.delivery_count': attempt,
        }),
      );
    }
    const settle = (outcome: Outcome) => {
      span.setAttribute('job.outcome', outcome);
      return outcome;
    };
    const ack = async () => {
      try {
        await msg.ackAck();
      } catch (error) {
        logger.warn('ack not confirmed; the job may be delivered again', { ...fields, error: describeError(error) });
      }
    };
    try {
      let failure: string;
      let permanent = false;
      const beyond = isBeyondLastAttempt(attempt, policy);
      if (beyond) {
        failure = `delivered ${attempt} times; attempt ${policy.maxDeliver} never reported back (crash, ack wait exceeded or dead-letter publish failed)`;
      } else {
        try {
          await deps.handler(msg.data, {
            subject: msg.subject,
            attempt,
            isLastAttempt: attempt >= policy.maxDeliver,
            headers: msg.headers,
            logger,
          });
          await ack();
          logger.debug('job done', fields);
          return settle('ack');
        } catch (error) {
          failure = describeError(error);
          permanent = error instanceof PermanentJobError;
          span.recordException(error instanceof Error ? error : new Error(failure));
        }
      }
      span.setStatus({ code: SpanStatusCode.ERROR, message: failure });

      const decision =
        beyond || permanent ? { action: 'dead-letter' as const } : decideAfterFailure(attempt, policy, deps.random);
      if (decision.action === 'retry') {
        msg.nak(decision.delayMs);
        logger.warn('job failed; will retry', { ...fields, retry_in_ms: decision.delayMs, error: failure });
        return settle('retry');
      }

      try {
        await deps.deadLetter(msg, failure);
      } catch (error) {
        if (beyond) {
          logger.error(
            'dead-letter publish failed on the reserve delivery; NATS will not deliver the job again, it stays in the stream',
            {
              ...fields,
              error: failure,
              publish_error: describeError(error),
            },
          );
        } else {
          logger.error('dead-letter publish failed; the job will be delivered once more to dead-letter it', {
            ...fields,
            error: failure,
            publish_error: describeError(error),
          });
        }
        msg.nak(retryDelayMs(attempt, policy, deps.random));
        return settle('retry');
      }
      await ack();
      logger.error('job dead-lettered', {
        ...fields,
        error: failure,
        ...(permanent ? { reason: 'cannot succeed; not retried' } : {}),
      });
      return settle('dead-letter');
    } finally {
      span.end();
    }
  });
}
