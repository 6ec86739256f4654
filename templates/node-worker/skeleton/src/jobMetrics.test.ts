// Every delivery is counted and timed, whatever its trace sampling: the metrics a dashboard and alerts read.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AggregationTemporality,
  DataPointType,
  MeterProvider,
  MetricReader,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import { processDelivery, PermanentJobError, type DeliveryDeps } from './delivery.ts';
import { createJobMetrics, MAX_SUBJECTS, PROCESS_DURATION } from './jobMetrics.ts';
import { silentLogger } from './logger.ts';
import { fakeMessage } from './testing/fakeMessage.ts';

/** A reader the test collects from on demand, like the periodic exporter does every OTEL_METRIC_EXPORT_INTERVAL. */
class CollectingReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override async onForceFlush() {}
  protected override async onShutdown() {}
}

async function collect(reader: CollectingReader): Promise<Map<string, MetricData>> {
  const { resourceMetrics, errors } = await reader.collect();
  assert.deepEqual(errors, []);
  return new Map(resourceMetrics.scopeMetrics.flatMap(s => s.metrics).map(m => [m.descriptor.name, m]));
}

function counted(metric: MetricData | undefined): number {
  assert.ok(metric, 'metric not recorded');
  return metric.dataPoints.reduce((sum, p) => sum + (p.value as number), 0);
}

describe('job metrics', () => {
  it('times every delivery and counts processed, failed and dead-lettered jobs', async () => {
    const reader = new CollectingReader();
    const provider = new MeterProvider({ readers: [reader] });
    const deps = (handler: DeliveryDeps['handler']): DeliveryDeps => ({
      handler,
      policy: { maxDeliver: 3, baseDelayMs: 100, maxDelayMs: 1_000 },
      deadLetter: async () => {},
      logger: silentLogger,
      metrics: createJobMetrics(provider.getMeter('test')),
      random: () => 1,
    });
    const ok = deps(async () => new Promise(resolve => setTimeout(resolve, 20)));
    const failing = deps(async () => {
      throw new TypeError('lines is not iterable');
    });
    const poison = deps(async () => {
      throw new PermanentJobError('not a job');
    });

    assert.equal(await processDelivery(fakeMessage({ subject: 'invoices.jobs' }), ok), 'ack');
    assert.equal(await processDelivery(fakeMessage({ subject: 'invoices.jobs' }), ok), 'ack');
    assert.equal(await processDelivery(fakeMessage({ subject: 'invoices.jobs', deliveryCount: 1 }), failing), 'retry');
    assert.equal(await processDelivery(fakeMessage({ subject: 'invoices.jobs' }), poison), 'dead-letter');

    const metrics = await collect(reader);
    assert.equal(counted(metrics.get('jobs.processed')), 2);
    assert.equal(counted(metrics.get('jobs.failed')), 2);
    assert.equal(counted(metrics.get('jobs.dead_lettered')), 1);

    const duration = metrics.get(PROCESS_DURATION);
    assert.ok(duration, `no ${PROCESS_DURATION}; got ${[...metrics.keys()]}`);
    assert.equal(duration.descriptor.unit, 's');
    assert.equal(duration.dataPointType, DataPointType.HISTOGRAM);
    const byOutcome = Object.fromEntries(
      duration.dataPoints.map(p => [p.attributes['job.outcome'], p.value as { count: number; sum: number }]),
    );
    assert.deepEqual(Object.keys(byOutcome).sort(), ['ack', 'dead-letter', 'retry']);
    assert.equal(byOutcome.ack!.count, 2);
    assert.ok(byOutcome.ack!.sum >= 0.035, `two 20 ms jobs took ${byOutcome.ack!.sum} s in total`);
    for (const point of duration.dataPoints) {
      assert.equal(point.attributes['messaging.destination.name'], 'invoices.jobs');
      assert.equal(point.attributes['messaging.system'], 'nats');
    }
    await provider.shutdown();
  });

  it('keeps MAX_SUBJECTS subjects apart and counts any further ones together, marked as overflow', async () => {
    const reader = new CollectingReader();
    const provider = new MeterProvider({ readers: [reader] });
    const jobMetrics = createJobMetrics(provider.getMeter('test'));
    const subjects = Array.from({ length: MAX_SUBJECTS + 2 }, (_, i) => `tenant-${i}.jobs`);
    for (const subject of subjects) jobMetrics.record(subject, 'ack', 0.01);
    jobMetrics.record(subjects[0]!, 'retry', 0.02);
    jobMetrics.record(subjects.at(-1)!, 'dead-letter', 0.03);

    const metrics = await collect(reader);
    const OVERFLOW = '(overflow)';
    const points = (name: string) =>
      Object.fromEntries(
        metrics.get(name)!.dataPoints.map(p => {
          const subject =
            p.attributes['otel.metric.overflow'] === true ? OVERFLOW : p.attributes['messaging.destination.name'];
          assert.equal(p.attributes['messaging.system'], 'nats');
          return [`${subject} ${p.attributes['job.outcome'] ?? ''}`.trim(), p.value];
        }),
      );
    const processed = points('jobs.processed');
    assert.equal(Object.keys(processed).length, MAX_SUBJECTS + 1);
    assert.equal(processed[subjects[0]!], 1);
    assert.equal(processed[subjects[MAX_SUBJECTS - 1]!], 1);
    assert.equal(processed[OVERFLOW], 2);
    assert.deepEqual(points('jobs.failed'), { [subjects[0]!]: 1, [OVERFLOW]: 1 });
    assert.deepEqual(points('jobs.dead_lettered'), { [OVERFLOW]: 1 });
    const durations = points(PROCESS_DURATION) as Record<string, { count: number }>;
    assert.equal(Object.keys(durations).length, MAX_SUBJECTS + 3);
    assert.equal(durations[`${subjects[0]} retry`]?.count, 1);
    assert.equal(durations[`${OVERFLOW} ack`]?.count, 2);
    assert.equal(durations[`${OVERFLOW} dead-letter`]?.count, 1);
    await provider.shutdown();
  });

  it('exports running totals: each export counts every job since the start', async () => {
    const reader = new CollectingReader();
    const provider = new MeterProvider({ readers: [reader] });
    const jobMetrics = createJobMetrics(provider.getMeter('test'));
    jobMetrics.record('invoices.jobs', 'ack', 0.01);
    jobMetrics.record('invoices.jobs', 'ack', 0.01);
    assert.equal(counted((await collect(reader)).get('jobs.processed')), 2);
    jobMetrics.record('invoices.jobs', 'ack', 0.01);
    const later = await collect(reader);
    assert.equal(counted(later.get('jobs.processed')), 3);
    assert.equal(later.get('jobs.processed')!.dataPointType, DataPointType.SUM);
    assert.equal(later.get('jobs.failed'), undefined, 'no failure yet, so no jobs.failed point');
    await provider.shutdown();
  });

  it('counts a delivery that crashed as failed', async () => {
    const reader = new CollectingReader();
    const provider = new MeterProvider({ readers: [reader] });
    const msg = fakeMessage({ deliveryCount: 1 });
    msg.nak = () => {
      throw new Error('connection gone');
    };
    await assert.rejects(
      processDelivery(msg, {
        handler: async () => {
          throw new Error('try again');
        },
        policy: { maxDeliver: 3, baseDelayMs: 100, maxDelayMs: 1_000 },
        deadLetter: async () => {},
        logger: silentLogger,
        metrics: createJobMetrics(provider.getMeter('test')),
      }),
      /connection gone/,
    );
    const metrics = await collect(reader);
    assert.equal(counted(metrics.get('jobs.failed')), 1);
    assert.equal(metrics.get(PROCESS_DURATION)?.dataPoints[0]?.attributes['job.outcome'], 'crashed');
    await provider.shutdown();
  });
});
