// The pull loop: takes jobs from the durable consumer, runs up to `concurrency` at a time, and stops cleanly.
import type { Consumer, JsMsg } from '@nats-io/jetstream';
import type { Logger } from './logger.ts';

export interface RunningConsumer {
  /** Settles when the loop ends by itself (not through stop()), which means the worker must restart. */
  ended: Promise<void>;
  /**
   * Stops taking jobs: no new pull requests, jobs received but not started are handed back (nak) for another
   * replica, and the jobs in flight get up to `timeoutMs` to finish. `abandoned` jobs are redelivered by NATS
   * after the ack wait.
   */
  stop(timeoutMs: number): Promise<{ abandoned: number }>;
}

/** Notifications that are routine; everything else is logged as a warning. */
const ROUTINE = new Set(['next', 'heartbeat', 'debug', 'flow_control', 'reset']);

export async function startConsuming(options: {
  consumer: Consumer;
  concurrency: number;
  process: (msg: JsMsg) => Promise<unknown>;
  logger: Logger;
}): Promise<RunningConsumer> {
  const { consumer, concurrency, process, logger } = options;
  // Pull no more than we can run: a job waiting in a local buffer is a job another replica could be doing.
  const messages = await consumer.consume({ max_messages: concurrency });
  let stopping = false;
  const inFlight = new Set<Promise<void>>();

  void (async () => {
    for await (const status of messages.status()) {
      if (!ROUTINE.has(status.type)) logger.warn('jetstream consumer notification', { ...status });
    }
  })().catch(() => {});

  const loop = (async () => {
    for await (const msg of messages) {
      while (!stopping && inFlight.size >= concurrency) await Promise.race(inFlight);
      if (stopping) {
        msg.nak();
        continue;
      }
      const job: Promise<void> = process(msg)
        .then(
          () => {},
          error => logger.error('job processing crashed', { error }),
        )
        .finally(() => inFlight.delete(job));
      inFlight.add(job);
    }
  })();

  return {
    ended: loop.then(
      () => {
        if (!stopping) throw new Error('the JetStream consumer stopped delivering messages');
      },
      error => {
        throw new Error(`the JetStream consumer failed: ${(error as Error).message}`);
      },
    ),
    async stop(timeoutMs) {
      stopping = true;
      messages.stop();
      const finished = loop.catch(() => {}).then(() => Promise.allSettled([...inFlight]));
      let timer: NodeJS.Timeout | undefined;
      const inTime = await Promise.race([
        finished.then(() => true),
        new Promise<boolean>(resolve => {
          timer = setTimeout(() => resolve(false), timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      return { abandoned: inTime ? 0 : inFlight.size };
    },
  };
}
