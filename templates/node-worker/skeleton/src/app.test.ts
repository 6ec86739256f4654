// Integration tests against a real NATS server with JetStream: nats-server started by the test on a free loopback
// port (or the server at NATS_URL). They fail, with instructions, when neither is available.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { run } from './app.ts';
import { DEAD_LETTER_HEADERS } from './deadLetter.ts';
import type { JobHandler } from './delivery.ts';
import { handleInvoiceJob } from './invoiceJob.ts';
import { ensureConsumer, ensureStream } from './jetstream.ts';
import { silentLogger } from './logger.ts';
import { publishJob } from './producer.ts';
import { startNatsServer, type TestNatsServer } from './testing/natsServer.ts';

let server: TestNatsServer;
let nc: NatsConnection;
let js: JetStreamClient;
let jsm: JetStreamManager;

before(async () => {
  server = await startNatsServer();
  nc = await connect({ servers: server.url });
  js = jetstream(nc);
  jsm = await jetstreamManager(nc);
});
after(async () => {
  await nc?.close();
  await server?.stop();
});

/** Fresh stream, subject and consumer names per test, so tests can share one server (and CI's). */
function testEnv(overrides: Record<string, string> = {}) {
  const id = randomBytes(4).toString('hex');
  return {
    NATS_URL: server.url,
    NATS_STREAM: `it-${id}-jobs`,
    NATS_SUBJECT: `it.${id}.jobs`,
    NATS_CONSUMER: `it-${id}`,
    NATS_DLQ_STREAM: `it-${id}-dlq`,
    NATS_DLQ_SUBJECT: `it.${id}.dlq`,
    PORT: '0',
    SECRETS_DIR: join(tmpdir(), `no-secrets-${id}`),
    MAX_DELIVER: '3',
    RETRY_BASE_DELAY_MS: '20',
    RETRY_MAX_DELAY_MS: '100',
    SHUTDOWN_TIMEOUT_MS: '5000',
    SHUTDOWN_DELAY: '0s',
    ...overrides,
  };
}

async function startWorker(env: Record<string, string>, handler: JobHandler) {
  const shutdown = new AbortController();
  let started!: (info: { healthPort: number }) => void;
  const startedInfo = new Promise<{ healthPort: number }>(resolve => (started = resolve));
  const done = run({ env, signal: shutdown.signal, handler, logger: silentLogger, onStarted: started });
  const { healthPort } = await Promise.race([
    startedInfo,
    done.then(() => Promise.reject(new Error('the worker stopped before it started'))),
  ]);
  return {
    readyz: async () => (await fetch(`http://127.0.0.1:${healthPort}/readyz`)).status,
    shutdown: () => shutdown.abort(),
    done,
  };
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 25));
  }
}

const goodOrder = {
  orderId: 'ORD-1',
  customerId: 'C-1',
  currency: 'EUR',
  lines: [{ sku: 'book', quantity: 2, unitPriceCents: 1_250 }],
};
const poison = '{"orderId":"ORD-2","lines":"not a list"}';
const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('worker against a real NATS JetStream', () => {
  it('processes a good job and dead-letters a poison job after exactly MAX_DELIVER attempts', async () => {
    const env = testEnv();
    const attempts = new Map<string, number>();
    const processed: string[] = [];
    const worker = await startWorker(env, async (data, job) => {
      const key = new TextDecoder().decode(data);
      attempts.set(key, (attempts.get(key) ?? 0) + 1);
      await handleInvoiceJob(data, job);
      processed.push(key);
    });
    try {
      assert.equal(await worker.readyz(), 200);

      await publishJob(js, env.NATS_SUBJECT, goodOrder, { msgId: 'order-ORD-1' });
      await publishJob(js, env.NATS_SUBJECT, poison, { headers: { traceparent, Tenant: 'acme' } });

      const dlq = await (await js.consumers.get(env.NATS_DLQ_STREAM)).next({ expires: 15_000 });
      assert.ok(dlq, 'the poison job reached the dead-letter stream');
      assert.equal(dlq.subject, env.NATS_DLQ_SUBJECT);
      assert.equal(dlq.string(), poison, 'payload unchanged');
      assert.equal(dlq.headers?.get(DEAD_LETTER_HEADERS.deliveries), '1', 'an invalid job is not retried');
      assert.match(dlq.headers?.get(DEAD_LETTER_HEADERS.error) ?? '', /^InvalidJobError: invalid order: .*lines/);
      assert.equal(dlq.headers?.get(DEAD_LETTER_HEADERS.subject), env.NATS_SUBJECT);
      assert.equal(dlq.headers?.get('traceparent'), traceparent, 'original headers kept');
      assert.equal(dlq.headers?.get('Tenant'), 'acme');
      assert.equal(attempts.get(poison), 1, 'the handler ran once: retrying cannot fix an invalid job');

      const good = JSON.stringify(goodOrder);
      await waitFor('the good job', () => processed.includes(good));
      assert.equal(attempts.get(good), 1);

      // Work-queue stream: acked jobs are removed. Nothing left, nothing waiting for an ack.
      await waitFor('both jobs acked', async () => (await jsm.streams.info(env.NATS_STREAM)).state.messages === 0);
      const consumer = await jsm.consumers.info(env.NATS_STREAM, env.NATS_CONSUMER);
      assert.equal(consumer.num_ack_pending, 0);
      assert.equal(consumer.num_pending, 0);
      assert.equal(consumer.config.max_deliver, 4, 'MAX_DELIVER plus the reserve delivery');
      assert.equal((await jsm.streams.info(env.NATS_DLQ_STREAM)).state.messages, 1);
    } finally {
      worker.shutdown();
      await worker.done;
    }
  });

  it('on shutdown turns not ready, finishes the job in flight, then resolves', async () => {
    const env = testEnv();
    let release!: () => void;
    const released = new Promise<void>(resolve => (release = resolve));
    let started = false;
    let finished = false;
    const worker = await startWorker(env, async () => {
      started = true;
      await released;
      finished = true;
    });

    await publishJob(js, env.NATS_SUBJECT, goodOrder);
    await waitFor('the job to start', () => started);

    worker.shutdown();
    await waitFor('readiness to fail', async () => (await worker.readyz()) === 503);
    assert.equal(finished, false);
    release();
    await worker.done;

    assert.equal(finished, true);
    assert.equal((await jsm.streams.info(env.NATS_STREAM)).state.messages, 0, 'the in-flight job was acked');
  });

  it('creates streams and the consumer idempotently and applies a changed MAX_DELIVER', async () => {
    const env = testEnv();
    const stream = {
      name: env.NATS_STREAM,
      subject: env.NATS_SUBJECT,
      retention: 'workqueue',
      description: 't',
    } as const;
    assert.equal((await ensureStream(jsm, stream)).created, true);
    assert.equal((await ensureStream(jsm, stream)).created, false);
    await assert.rejects(
      ensureStream(jsm, { ...stream, subject: 'other.subject' }),
      /does not store subject other\.subject/,
    );

    const consumer = { stream: env.NATS_STREAM, name: env.NATS_CONSUMER, subject: env.NATS_SUBJECT, ackWaitMs: 30_000 };
    assert.equal((await ensureConsumer(jsm, { ...consumer, maxDeliver: 4 })).action, 'created');
    assert.equal((await ensureConsumer(jsm, { ...consumer, maxDeliver: 4 })).action, 'unchanged');
    const updated = await ensureConsumer(jsm, { ...consumer, maxDeliver: 6 });
    assert.equal(updated.action, 'updated');
    assert.equal(updated.info.config.max_deliver, 6);
  });
});
