// What happens after a job fails: retry later (nak with a growing delay) or give up (dead-letter).
//
// Attempts are counted by JetStream (the message's delivery count). The consumer is created with
// max_deliver = maxDeliver + 1: the worker runs the handler at most `maxDeliver` times and dead-letters the job on
// the last failure; the one extra delivery is a reserve for a job whose last attempt never reported back (the pod
// crashed, the ack wait ran out, or publishing to the dead-letter subject failed). That delivery skips the handler
// and goes straight to the dead-letter subject, so a poison message is neither retried forever nor silently dropped.

export interface RetryPolicy {
  /** Attempts per job (MAX_DELIVER). */
  maxDeliver: number;
  /** Delay before the second attempt; doubled for every further attempt. */
  baseDelayMs: number;
  /** Upper bound of the delay. */
  maxDelayMs: number;
}

export type Decision = { action: 'retry'; delayMs: number } | { action: 'dead-letter'; reason: 'attempts exhausted' };

/** The consumer's max_deliver for a policy: the attempts plus one reserve delivery (see above). */
export function consumerMaxDeliver(policy: Pick<RetryPolicy, 'maxDeliver'>): number {
  return policy.maxDeliver + 1;
}

/** True when a delivery comes after the last attempt, i.e. it is the reserve delivery: dead-letter it unprocessed. */
export function isBeyondLastAttempt(deliveryCount: number, policy: Pick<RetryPolicy, 'maxDeliver'>): boolean {
  return deliveryCount > policy.maxDeliver;
}

/**
 * Exponential backoff with "equal jitter": after attempt n the delay is between half and all of
 * min(maxDelayMs, baseDelayMs * 2^(n-1)), so jobs that failed together do not all come back at the same moment.
 */
export function retryDelayMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exponential = policy.baseDelayMs * 2 ** Math.max(0, attempt - 1);
  const capped = Math.min(policy.maxDelayMs, exponential);
  return Math.round(capped / 2 + random() * (capped / 2));
}

/** Decides what to do after attempt `deliveryCount` (1-based) of a job failed. */
export function decideAfterFailure(
  deliveryCount: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): Decision {
  if (deliveryCount >= policy.maxDeliver) return { action: 'dead-letter', reason: 'attempts exhausted' };
  return { action: 'retry', delayMs: retryDelayMs(deliveryCount, policy, random) };
}
