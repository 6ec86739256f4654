// The metrics part of the conformance run: what a running service must have exported over OTLP by the time it
// stopped. Kept apart from conformanceSuite.ts so the check reads on its own.
import assert from 'node:assert/strict';
import type { ReceivedMetric } from './otlpReceiver.ts';

/** Resource attributes every exported metric must carry: the service name and the cost tags of the sample. */
export type ExpectedResource = Record<string, string>;

/**
 * Asserts that `metrics` hold `durationMetric` as a histogram with at least one measured unit of work, and that
 * every metric the service exported carries `resource` (service.name and the cost-tag attributes), so a metrics
 * backend can split cost and latency by team like the traces.
 */
export function assertMetricsExported(
  metrics: ReceivedMetric[],
  expected: { durationMetric: string; resource: ExpectedResource },
) {
  const names = [...new Set(metrics.map(m => m.name))].sort();
  const duration = metrics.filter(m => m.name === expected.durationMetric);
  assert.ok(
    duration.length > 0,
    `no ${expected.durationMetric} metric arrived; got ${JSON.stringify(
      names,
    )}`,
  );
  const measured = duration
    .filter(m => m.type === 'histogram' || m.type === 'exponentialHistogram')
    .flatMap(m => m.points)
    .reduce((sum, p) => sum + (p.count ?? 0), 0);
  assert.ok(
    measured >= 1,
    `${
      expected.durationMetric
    } arrived without a histogram count: ${JSON.stringify(duration)}`,
  );
  for (const metric of metrics) {
    const resource = Object.fromEntries(
      Object.keys(expected.resource).map(k => [k, metric.resource[k]]),
    );
    assert.deepEqual(
      resource,
      expected.resource,
      `metric ${metric.name} has the wrong resource`,
    );
  }
}
