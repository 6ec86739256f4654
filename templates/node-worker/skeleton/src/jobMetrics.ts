// Job metrics, exported over OTLP next to the traces (src/telemetry.ts sets up the MeterProvider): every delivery
// is measured whether or not its trace was sampled, so job rates, failure rates and latencies are exact.
//
// It runs for every delivery, so the attribute sets are built once per subject (and outcome) and reused (the SDK only
// reads them, and building and spreading new objects per job was a measurable part of its cost), and the job counts
// are plain numbers the SDK reads at export time.
import { metrics, type Attributes, type Meter } from '@opentelemetry/api';
import { APP_NAME } from './config.ts';

/** How a delivery ended: the outcomes of processDelivery, or `crashed` when it threw. */
export type JobOutcome = 'ack' | 'retry' | 'dead-letter' | 'crashed';

export interface JobMetrics {
  /** Records one delivery of a job from `subject` that ended with `outcome` after `seconds`. */
  record(subject: string, outcome: JobOutcome, seconds: number): void;
}

/** The duration histogram's name, from the OpenTelemetry messaging semantic conventions. */
export const PROCESS_DURATION = 'messaging.process.duration';

/**
 * Subjects counted apart. A worker consumes one subject (or a few, with a wildcard filter); beyond this many, further
 * subjects are counted together under `otel.metric.overflow=true`, as the SDK does past its cardinality limit, so what
 * is kept stays bounded.
 */
export const MAX_SUBJECTS = 1000;

/** One subject's attribute sets (built on its first delivery) and its job counts so far. */
interface SubjectTally {
  attributes: Attributes;
  duration: Record<JobOutcome, Attributes>;
  processed: number;
  failed: number;
  deadLettered: number;
}

function tally(attributes: Attributes): SubjectTally {
  const withOutcome = (outcome: JobOutcome) => Object.freeze({ ...attributes, 'job.outcome': outcome });
  return {
    attributes: Object.freeze(attributes),
    duration: {
      ack: withOutcome('ack'),
      retry: withOutcome('retry'),
      'dead-letter': withOutcome('dead-letter'),
      crashed: withOutcome('crashed'),
    },
    processed: 0,
    failed: 0,
    deadLettered: 0,
  };
}

/**
 * The worker's instruments, from `meter` (by default the global MeterProvider's meter for this service):
 * - `messaging.process.duration` (s): one delivery, from receipt to ack, retry or dead-letter, by `job.outcome`
 * - `jobs.processed`: deliveries that finished the job (acked)
 * - `jobs.failed`: deliveries that failed (to be retried, dead-lettered, or crashed)
 * - `jobs.dead_lettered`: jobs given up on and published to the dead-letter subject
 * all with `messaging.system` and `messaging.destination.name` (the subject).
 *
 * The three counters are observable counters over counts kept here: a delivery adds 1 to a number, and the SDK reads
 * the totals when it exports (every OTEL_METRIC_EXPORT_INTERVAL). The SDK's synchronous counter would hash the
 * attribute set on every delivery, as the histogram still has to; the exported sums are the same.
 */
export function createJobMetrics(meter: Meter = metrics.getMeter(APP_NAME)): JobMetrics {
  // One set per meter: a second set of observable counters would report its own counts for the same attribute sets,
  // and the SDK keeps only one of them.
  let jobMetrics = perMeter.get(meter);
  if (!jobMetrics) perMeter.set(meter, (jobMetrics = instruments(meter)));
  return jobMetrics;
}

const perMeter = new WeakMap<Meter, JobMetrics>();

function instruments(meter: Meter): JobMetrics {
  const duration = meter.createHistogram(PROCESS_DURATION, {
    unit: 's',
    description: 'Duration of processing one delivery of a job',
    advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10] },
  });
  const processed = meter.createObservableCounter('jobs.processed', {
    unit: '{job}',
    description: 'Jobs finished and acked',
  });
  const failed = meter.createObservableCounter('jobs.failed', {
    unit: '{job}',
    description: 'Deliveries that failed: retried later, dead-lettered or crashed',
  });
  const deadLettered = meter.createObservableCounter('jobs.dead_lettered', {
    unit: '{job}',
    description: 'Jobs published to the dead-letter subject',
  });

  const subjects = new Map<string, SubjectTally>();
  const overflow = tally({ 'messaging.system': 'nats', 'otel.metric.overflow': true });
  const tallyOf = (subject: string): SubjectTally => {
    let known = subjects.get(subject);
    if (known) return known;
    if (subjects.size >= MAX_SUBJECTS) return overflow;
    known = tally({ 'messaging.system': 'nats', 'messaging.destination.name': subject });
    subjects.set(subject, known);
    return known;
  };

  meter.addBatchObservableCallback(
    result => {
      for (const counts of [...subjects.values(), overflow]) {
        // A counter appears for a subject once it has counted something, as a synchronous counter's would.
        if (counts.processed > 0) result.observe(processed, counts.processed, counts.attributes);
        if (counts.failed > 0) result.observe(failed, counts.failed, counts.attributes);
        if (counts.deadLettered > 0) result.observe(deadLettered, counts.deadLettered, counts.attributes);
      }
    },
    [processed, failed, deadLettered],
  );

  return {
    record(subject, outcome, seconds) {
      const counts = tallyOf(subject);
      duration.record(seconds, counts.duration[outcome]);
      if (outcome === 'ack') {
        counts.processed++;
        return;
      }
      counts.failed++;
      if (outcome === 'dead-letter') counts.deadLettered++;
    },
  };
}
