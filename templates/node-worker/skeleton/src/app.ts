// Wiring: configuration, logging, secrets, health endpoints, NATS, the JetStream consumer and graceful shutdown.
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { APP_NAME, loadConfig } from './config.ts';
import { startConsuming } from './consumer.ts';
import { createDeadLetterPublisher } from './deadLetter.ts';
import { processDelivery, type JobHandler } from './delivery.ts';
import { startHealthServer } from './health.ts';
import { createJobMetrics } from './jobMetrics.ts';
import { ensureConsumer, ensureStream } from './jetstream.ts';
import { createLogger, type Logger } from './logger.ts';
import { natsConnectionOptions } from './natsConnection.ts';
import { consumerMaxDeliver, type RetryPolicy } from './retry.ts';
import { loadSecrets, secretNames } from './secrets.ts';

export interface RunOptions {
  /** The environment to read the configuration from (process.env in production). */
  env: NodeJS.ProcessEnv;
  /** Aborting it starts the graceful shutdown. */
  signal: AbortSignal;
  handler: JobHandler;
  logger?: Logger;
  /** Called once jobs are being consumed. */
  onStarted?: (info: { healthPort: number }) => void;
}

/**
 * Runs the worker until `signal` is aborted, then shuts down gracefully: /readyz turns 503, no new jobs are taken,
 * jobs in flight get SHUTDOWN_TIMEOUT_MS to finish, and the NATS connection is drained (pending acks and publishes
 * are flushed). Resolves after a clean shutdown; rejects if the worker cannot start or the consumer fails.
 */
export async function run(options: RunOptions): Promise<void> {
  const config = loadConfig(options.env);
  const logger = options.logger ?? createLogger({ level: config.logLevel });

  const secrets = await loadSecrets(config.secretsDir);
  // Names only: never log secret values.
  logger.info('secrets loaded', { dir: config.secretsDir, names: secretNames(secrets) });

  let connected = false;
  let consuming = false;
  let shuttingDown = false;
  const health = await startHealthServer({
    port: config.port,
    isReady: () => connected && consuming && !shuttingDown,
  });
  logger.info('health endpoints listening', { port: health.port });

  let nc: NatsConnection | undefined;
  try {
    const { options: connectOptions, auth } = natsConnectionOptions(config.natsServers, APP_NAME, secrets);
    nc = await connect(connectOptions);
    connected = true;
    logger.info('connected to NATS', { server: nc.getServer(), server_version: nc.info?.version, auth });
    void watchConnection(nc, logger, up => (connected = up)).catch(() => {});

    const jsm = await jetstreamManager(nc);
    const jobs = await ensureStream(jsm, {
      name: config.stream,
      subject: config.subject,
      retention: 'workqueue',
      description: `jobs for ${APP_NAME}`,
    });
    const dlq = await ensureStream(jsm, {
      name: config.dlqStream,
      subject: config.dlqSubject,
      retention: 'limits',
      description: `dead-lettered jobs of ${APP_NAME}`,
    });
    const policy: RetryPolicy = {
      maxDeliver: config.maxDeliver,
      baseDelayMs: config.retryBaseDelayMs,
      maxDelayMs: config.retryMaxDelayMs,
    };
    const durable = await ensureConsumer(jsm, {
      stream: config.stream,
      name: config.consumer,
      subject: config.subject,
      maxDeliver: consumerMaxDeliver(policy),
      ackWaitMs: config.ackWaitMs,
    });
    logger.info('jetstream ready', {
      stream: config.stream,
      stream_created: jobs.created,
      subject: config.subject,
      dlq_stream: config.dlqStream,
      dlq_stream_created: dlq.created,
      dlq_subject: config.dlqSubject,
      consumer: config.consumer,
      consumer_action: durable.action,
      attempts: config.maxDeliver,
      consumer_max_deliver: durable.info.config.max_deliver,
    });

    const js = jetstream(nc);
    const deadLetter = createDeadLetterPublisher(js, config.dlqSubject);
    const metrics = createJobMetrics();
    const running = await startConsuming({
      consumer: await js.consumers.get(config.stream, config.consumer),
      concurrency: config.concurrency,
      process: msg => processDelivery(msg, { handler: options.handler, policy, deadLetter, logger, metrics }),
      logger,
    });
    consuming = true;
    logger.info('consuming jobs', { concurrency: config.concurrency });
    options.onStarted?.({ healthPort: health.port });

    const conn = nc;
    const failure = await Promise.race([
      new Promise<undefined>(resolve => {
        if (options.signal.aborted) resolve(undefined);
        options.signal.addEventListener('abort', () => resolve(undefined), { once: true });
      }),
      running.ended.then(
        () => undefined,
        (error: Error) => error,
      ),
      conn.closed().then(error => new Error(`NATS connection closed${error ? `: ${error.message}` : ''}`)),
    ]);

    shuttingDown = true;
    logger.info('shutting down', {
      reason: failure ? failure.message : 'signal',
      delay_ms: failure ? 0 : config.shutdownDelayMs,
      timeout_ms: config.shutdownTimeoutMs,
    });
    if (!failure) {
      // Not ready from now on, but still working: whatever watches readiness notices before the worker stops.
      await new Promise(resolve => setTimeout(resolve, config.shutdownDelayMs));
    }
    const { abandoned } = await running.stop(config.shutdownTimeoutMs);
    if (abandoned > 0) {
      logger.warn('jobs still running at the shutdown timeout; NATS will deliver them again after the ack wait', {
        abandoned,
      });
    }
    if (!conn.isClosed()) await conn.drain();
    logger.info('stopped');
    if (failure) throw failure;
  } finally {
    if (nc && !nc.isClosed()) await nc.close();
    await health.close();
  }
}

/** Keeps `setConnected` in step with the connection, and logs disconnects and reconnects. */
async function watchConnection(nc: NatsConnection, logger: Logger, setConnected: (up: boolean) => void) {
  for await (const status of nc.status()) {
    switch (status.type) {
      case 'disconnect':
        setConnected(false);
        logger.warn('disconnected from NATS; reconnecting', { server: status.server });
        break;
      case 'reconnect':
        setConnected(true);
        logger.info('reconnected to NATS', { server: status.server });
        break;
      case 'error':
        logger.warn('NATS error', { error: status.error });
        break;
      default:
        break;
    }
  }
}
