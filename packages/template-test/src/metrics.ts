// What a running service must have exported over OTLP metrics by the time it stopped: the duration histogram its
// template declares (metadata.templateTest.metric) with the unit of work counted, and the same resource as its
// spans (service.name and the cost tags) on every metric, so a metrics backend splits cost and latency by team.
import type { ReceivedMetric } from '../../test-utils/src/otlpReceiver.ts';

/** Why `metrics` fall short of the declared duration histogram and resource; undefined when they don't. */
export function metricsProblem(
  metrics: ReceivedMetric[],
  expected: { durationMetric: string; resource: Record<string, string> },
): string | undefined {
  const names = [...new Set(metrics.map(m => m.name))].sort();
  const duration = metrics.filter(m => m.name === expected.durationMetric);
  if (duration.length === 0) {
    return `no ${expected.durationMetric} metric arrived; got ${JSON.stringify(
      names,
    )}`;
  }
  const measured = duration
    .filter(m => m.type === 'histogram' || m.type === 'exponentialHistogram')
    .flatMap(m => m.points)
    .reduce((sum, p) => sum + (p.count ?? 0), 0);
  if (measured < 1) {
    return `${expected.durationMetric} arrived without a histogram count`;
  }
  for (const metric of metrics) {
    const wrong = Object.entries(expected.resource).filter(
      ([k, v]) => metric.resource[k] !== v,
    );
    if (wrong.length) {
      return `metric ${metric.name}: ${wrong
        .map(
          ([k, v]) =>
            `resource ${k} is ${JSON.stringify(
              metric.resource[k],
            )}, expected ${JSON.stringify(v)}`,
        )
        .join('; ')}`;
    }
  }
  return undefined;
}
