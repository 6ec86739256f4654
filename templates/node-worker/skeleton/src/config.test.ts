import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { APP_NAME, ConfigError, defaultNames, loadConfig } from './config.ts';

describe('configuration', () => {
  it('has defaults for everything', () => {
    const config = loadConfig({});
    assert.deepEqual(config, {
      port: 8080,
      secretsDir: '/var/run/secrets/app',
      logLevel: 'info',
      natsServers: ['nats://127.0.0.1:4222'],
      ...defaultNames(APP_NAME),
      maxDeliver: 5,
      retryBaseDelayMs: 1_000,
      retryMaxDelayMs: 60_000,
      ackWaitMs: 30_000,
      concurrency: 4,
      shutdownDelayMs: 5_000,
      shutdownTimeoutMs: 20_000,
    });
  });

  it('reads SHUTDOWN_DELAY as the Go and Java services do', () => {
    assert.equal(loadConfig({ SHUTDOWN_DELAY: '300ms' }).shutdownDelayMs, 300);
    assert.equal(loadConfig({ SHUTDOWN_DELAY: '2s' }).shutdownDelayMs, 2_000);
    assert.throws(() => loadConfig({ SHUTDOWN_DELAY: '5' }), /SHUTDOWN_DELAY="5": want a duration/);
  });

  it('derives JetStream names from the component name', () => {
    assert.deepEqual(defaultNames('invoice-worker'), {
      stream: 'invoice-worker-jobs',
      subject: 'invoice-worker.jobs',
      consumer: 'invoice-worker',
      dlqStream: 'invoice-worker-dlq',
      dlqSubject: 'invoice-worker.dlq',
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '9090',
      SECRETS_DIR: './.secrets',
      LOG_LEVEL: 'DEBUG',
      NATS_URL: 'nats://a:4222, nats://b:4222',
      NATS_STREAM: 'ORDERS',
      NATS_SUBJECT: 'orders.created',
      NATS_CONSUMER: 'invoicer',
      NATS_DLQ_STREAM: 'ORDERS_DLQ',
      NATS_DLQ_SUBJECT: 'orders.dlq',
      MAX_DELIVER: '3',
      RETRY_BASE_DELAY_MS: '50',
      RETRY_MAX_DELAY_MS: '500',
      ACK_WAIT_MS: '5000',
      CONCURRENCY: '8',
      SHUTDOWN_TIMEOUT_MS: '1000',
    });
    assert.equal(config.port, 9090);
    assert.equal(config.logLevel, 'debug');
    assert.deepEqual(config.natsServers, ['nats://a:4222', 'nats://b:4222']);
    assert.equal(config.stream, 'ORDERS');
    assert.equal(config.subject, 'orders.created');
    assert.equal(config.dlqSubject, 'orders.dlq');
    assert.equal(config.maxDeliver, 3);
    assert.equal(config.concurrency, 8);
  });

  it('names every bad variable at once', () => {
    assert.throws(
      () =>
        loadConfig({
          PORT: 'http',
          MAX_DELIVER: '0',
          LOG_LEVEL: 'loud',
          NATS_STREAM: 'has.dot',
          NATS_SUBJECT: 'jobs.*',
          CONCURRENCY: '1.5',
        }),
      (error: Error) => {
        assert.ok(error instanceof ConfigError);
        for (const key of ['PORT', 'MAX_DELIVER', 'LOG_LEVEL', 'NATS_STREAM', 'NATS_SUBJECT', 'CONCURRENCY']) {
          assert.match(error.message, new RegExp(`${key}=`));
        }
        return true;
      },
    );
  });

  it('refuses a dead-letter subject equal to the job subject', () => {
    assert.throws(() => loadConfig({ NATS_SUBJECT: 'a.b', NATS_DLQ_SUBJECT: 'a.b' }), /NATS_DLQ_SUBJECT must differ/);
  });
});
