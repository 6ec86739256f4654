import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  consumerMaxDeliver,
  decideAfterFailure,
  isBeyondLastAttempt,
  retryDelayMs,
  type RetryPolicy,
} from './retry.ts';

const policy: RetryPolicy = { maxDeliver: 5, baseDelayMs: 1_000, maxDelayMs: 6_000 };
const top = () => 1; // no jitter: the full delay
const bottom = () => 0; // the most jitter: half the delay

describe('retry policy', () => {
  it('doubles the delay per attempt up to the cap', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5].map(attempt => retryDelayMs(attempt, policy, top)),
      [1_000, 2_000, 4_000, 6_000, 6_000],
    );
  });

  it('jitters between half and all of the delay', () => {
    assert.equal(retryDelayMs(2, policy, bottom), 1_000);
    assert.equal(
      retryDelayMs(2, policy, () => 0.5),
      1_500,
    );
    for (let i = 0; i < 100; i++) {
      const delay = retryDelayMs(3, policy);
      assert.ok(delay >= 2_000 && delay <= 4_000, `delay ${delay}`);
    }
  });

  it('retries every attempt before the last one', () => {
    for (const attempt of [1, 2, 3, 4]) {
      assert.deepEqual(decideAfterFailure(attempt, policy, top), {
        action: 'retry',
        delayMs: retryDelayMs(attempt, policy, top),
      });
    }
  });

  it('dead-letters after the last attempt', () => {
    assert.deepEqual(decideAfterFailure(5, policy, top), { action: 'dead-letter', reason: 'attempts exhausted' });
    assert.equal(decideAfterFailure(1, { ...policy, maxDeliver: 1 }, top).action, 'dead-letter');
  });

  it('gives the consumer one reserve delivery beyond the attempts', () => {
    assert.equal(consumerMaxDeliver(policy), 6);
    assert.equal(isBeyondLastAttempt(5, policy), false);
    assert.equal(isBeyondLastAttempt(6, policy), true);
  });
});
