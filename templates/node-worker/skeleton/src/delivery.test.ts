// What happens to a job after each attempt: ack, nak with backoff, or dead-letter + ack.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FailedJob } from './deadLetter.ts';
import { PermanentJobError, processDelivery, type DeliveryDeps, type JobContext } from './delivery.ts';
import { InvalidJobError } from './invoiceJob.ts';
import { silentLogger } from './logger.ts';
import { fakeMessage } from './testing/fakeMessage.ts';
import { createJobMetrics } from './jobMetrics.ts';

const policy = { maxDeliver: 5, baseDelayMs: 1_000, maxDelayMs: 60_000 };

function setup(handler: DeliveryDeps['handler'], deadLetter?: DeliveryDeps['deadLetter']) {
  const deadLettered: Array<{ job: FailedJob; error: string }> = [];
  const calls: JobContext[] = [];
  const deps: DeliveryDeps = {
    handler: async (data, job) => {
      calls.push(job);
      await handler(data, job);
    },
    policy,
    deadLetter:
      deadLetter ??
      (async (job, error) => {
        deadLettered.push({ job, error });
      }),
    logger: silentLogger,
    metrics: createJobMetrics(),
    random: () => 1,
  };
  return { deps, deadLettered, calls };
}

const fail = async () => {
  throw new TypeError('lines is not iterable');
};

describe('processing a delivery', () => {
  it('acks a job the handler finished', async () => {
    const { deps, calls } = setup(async () => {});
    const msg = fakeMessage({ data: '{"ok":true}', deliveryCount: 1 });

    assert.equal(await processDelivery(msg, deps), 'ack');
    assert.equal(msg.acks, 1);
    assert.deepEqual(msg.naks, []);
    assert.equal(calls[0]?.attempt, 1);
    assert.equal(calls[0]?.isLastAttempt, false);
  });

  it('naks a failed attempt with a growing delay while attempts remain', async () => {
    const { deps, deadLettered } = setup(fail);
    for (const [attempt, delay] of [
      [1, 1_000],
      [2, 2_000],
      [4, 8_000],
    ] as const) {
      const msg = fakeMessage({ deliveryCount: attempt });
      assert.equal(await processDelivery(msg, deps), 'retry');
      assert.deepEqual(msg.naks, [delay]);
      assert.equal(msg.acks, 0);
    }
    assert.equal(deadLettered.length, 0);
  });

  it('dead-letters and acks a job whose last attempt failed', async () => {
    const { deps, deadLettered, calls } = setup(fail);
    const msg = fakeMessage({ data: 'poison', deliveryCount: 5, headers: { traceparent: 'tp', Tenant: 'acme' } });

    assert.equal(await processDelivery(msg, deps), 'dead-letter');
    assert.equal(calls[0]?.isLastAttempt, true);
    assert.equal(deadLettered.length, 1);
    assert.equal(deadLettered[0]?.job, msg);
    assert.equal(deadLettered[0]?.error, 'TypeError: lines is not iterable');
    assert.equal(msg.acks, 1, 'acked after dead-lettering, so it is not delivered again');
    assert.deepEqual(msg.naks, []);
  });

  it('dead-letters the reserve delivery without running the handler', async () => {
    const { deps, deadLettered, calls } = setup(async () => assert.fail('handler must not run'));
    const msg = fakeMessage({ deliveryCount: 6 });

    assert.equal(await processDelivery(msg, deps), 'dead-letter');
    assert.equal(calls.length, 0);
    assert.match(deadLettered[0]?.error ?? '', /delivered 6 times; attempt 5 never reported back/);
    assert.equal(msg.acks, 1);
  });

  it('naks instead of acking when the dead-letter publish fails, so the job is not lost', async () => {
    const { deps } = setup(fail, async () => {
      throw new Error('no stream for subject');
    });
    const msg = fakeMessage({ deliveryCount: 5 });

    assert.equal(await processDelivery(msg, deps), 'retry');
    assert.equal(msg.acks, 0);
    assert.equal(msg.naks.length, 1);
  });

  it('treats non-Error throws as failures too', async () => {
    const { deps, deadLettered } = setup(async () => {
      throw 'plain string';
    });
    await processDelivery(fakeMessage({ deliveryCount: 5 }), deps);
    assert.equal(deadLettered[0]?.error, 'plain string');
  });

  it('does not retry a finished job when only the ack fails', async () => {
    const { deps } = setup(async () => {});
    const msg = fakeMessage({});
    msg.ackAck = async () => {
      throw new Error('timeout');
    };
    assert.equal(await processDelivery(msg, deps), 'ack');
    assert.deepEqual(msg.naks, []);
  });

  it('dead-letters a job that can never succeed at once, on its first attempt, without retrying', async () => {
    for (const error of [new InvalidJobError('payload is not JSON'), new PermanentJobError('unknown tenant')]) {
      const { deps, deadLettered, calls } = setup(async () => {
        throw error;
      });
      const msg = fakeMessage({ data: 'not json', deliveryCount: 1 });

      assert.equal(await processDelivery(msg, deps), 'dead-letter');
      assert.equal(calls.length, 1);
      assert.deepEqual(msg.naks, [], 'not retried');
      assert.equal(msg.acks, 1);
      assert.equal(deadLettered[0]?.error, `${error.name}: ${error.message}`);
    }
  });

  it('still retries an ordinary failure on the first attempt', async () => {
    const { deps, deadLettered } = setup(fail);
    const msg = fakeMessage({ data: '{}', deliveryCount: 1 });
    assert.equal(await processDelivery(msg, deps), 'retry');
    assert.equal(deadLettered.length, 0);
  });
});
