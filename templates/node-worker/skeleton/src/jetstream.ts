// Creates the worker's streams and durable consumer at startup if they are missing. Safe to run from every replica
// at once: creating a stream or consumer with the same configuration twice is a no-op on the server.
import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type ConsumerConfig,
  type ConsumerInfo,
  type JetStreamManager,
  type StreamInfo,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';

/** JetStream API error codes (nats-server errors.json). */
const STREAM_NOT_FOUND = 10059;
const CONSUMER_NOT_FOUND = 10014;

function isApiError(error: unknown, code: number): boolean {
  return error instanceof JetStreamApiError && error.code === code;
}

/**
 * Ensures a stream named `name` exists and stores `subject`. A new stream is created with `retention`; an existing
 * one is left as it is (operators may have tuned it) unless it does not capture the subject, which is an error.
 */
export async function ensureStream(
  jsm: JetStreamManager,
  options: { name: string; subject: string; retention: 'workqueue' | 'limits'; description: string },
): Promise<{ created: boolean; info: StreamInfo }> {
  try {
    const info = await jsm.streams.info(options.name);
    if (!info.config.subjects?.includes(options.subject)) {
      throw new Error(
        `stream ${options.name} exists but does not store subject ${options.subject} (its subjects: ${JSON.stringify(info.config.subjects ?? [])}); fix the stream or the NATS_* settings`,
      );
    }
    return { created: false, info };
  } catch (error) {
    if (!isApiError(error, STREAM_NOT_FOUND)) throw error;
  }
  const info = await jsm.streams.add({
    name: options.name,
    subjects: [options.subject],
    description: options.description,
    retention: options.retention === 'workqueue' ? RetentionPolicy.Workqueue : RetentionPolicy.Limits,
    storage: StorageType.File,
  });
  return { created: true, info };
}

export interface DurableConsumerOptions {
  stream: string;
  name: string;
  subject: string;
  maxDeliver: number;
  ackWaitMs: number;
}

export function durableConsumerConfig(options: DurableConsumerOptions): Partial<ConsumerConfig> {
  return {
    durable_name: options.name,
    description: `jobs from ${options.subject}`,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: options.subject,
    max_deliver: options.maxDeliver,
    ack_wait: nanos(options.ackWaitMs),
  };
}

/**
 * Ensures the durable pull consumer exists with explicit acks, the configured max_deliver and ack wait. An existing
 * consumer whose max_deliver or ack wait differ is updated; one with another filter subject is an
 * error (that cannot be changed in place: delete the consumer first).
 */
export async function ensureConsumer(
  jsm: JetStreamManager,
  options: DurableConsumerOptions,
): Promise<{ action: 'created' | 'updated' | 'unchanged'; info: ConsumerInfo }> {
  const wanted = durableConsumerConfig(options);
  let existing: ConsumerInfo;
  try {
    existing = await jsm.consumers.info(options.stream, options.name);
  } catch (error) {
    if (!isApiError(error, CONSUMER_NOT_FOUND)) throw error;
    return { action: 'created', info: await jsm.consumers.add(options.stream, wanted) };
  }
  const current = existing.config;
  if (current.filter_subject !== options.subject || current.ack_policy !== AckPolicy.Explicit) {
    throw new Error(
      `consumer ${options.name} on stream ${options.stream} exists with filter ${JSON.stringify(current.filter_subject)} and ack policy ${current.ack_policy}; want ${options.subject} and explicit: delete it or set NATS_CONSUMER`,
    );
  }
  if (current.max_deliver === wanted.max_deliver && current.ack_wait === wanted.ack_wait) {
    return { action: 'unchanged', info: existing };
  }
  const info = await jsm.consumers.update(options.stream, options.name, {
    max_deliver: wanted.max_deliver,
    ack_wait: wanted.ack_wait,
  });
  return { action: 'updated', info };
}
