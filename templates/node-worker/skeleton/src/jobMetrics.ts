// Job metrics, exported over OTLP next to the traces (src/telemetry.ts sets up the MeterProvider): every delivery
// is measured whether or not its trace was sampled, so job rates, failure rates and latencies are exact.
//
// It runs for every delivery, so the attribute sets are built once per subject (and outcome) and reused: the SDK
// only reads them, and building and spreading new objects per job was a measurable part of its cost.
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
 * Subjects whose attribute sets are kept. A worker consumes one subject (or a few, with a wildcard filter); beyond
 * this many, further subjects get new attribute objects per delivery, so what is kept stays bounded.
 */
export const MAX_SUBJECTS = 1000;

/** The attribute sets of one subject, built on its first delivery: for the counters, and for the histogram by outcome. */
interface SubjectAttributes {
  attributes: Attributes;
  duration: Record<JobOutcome, Attributes>;
}

function subjectAttributes(attributes: Attributes): SubjectAttributes {
  const withOutcome = (outcome: JobOutcome) => Object.freeze({ ...attributes, 'job.outcome': outcome });
  return {
    attributes: Object.freeze(attributes),
    duration: {
      ack: withOutcome('ack'),
      retry: withOutcome('retry'),
      'dead-letter': withOutcome('dead-letter'),
      crashed: withOutcome('crashed'),
    },
  };
}

/**
 * The worker's instruments, from `meter` (by default the global MeterProvider's meter for this service):
 * - `messaging.process.duration` (s): one delivery, from receipt to ack, retry or dead-letter, by `job.outcome`
 * - `jobs.processed`: deliveries that finished the job (acked)
 * - `jobs.failed`: deliveries that failed (to be retried, dead-lettered, or crashed)
 * - `jobs.dead_lettered`: jobs given up on and published to the dead-letter subject
 * all with `messaging.system` and `messaging.destination.name` (the subject).
 */
export function createJobMetrics(meter: Meter = metrics.getMeter(APP_NAME)): JobMetrics {
  const duration = meter.createHistogram(PROCESS_DURATION, {
    unit: 's',
    description: 'Duration of processing one delivery of a job',
    advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10] },
  });
  const processed = meter.createCounter('jobs.processed', {
    unit: '{job}',
    description: 'Jobs finished and acked',
  });
  const failed = meter.createCounter('jobs.failed', {
    unit: '{job}',
    description: 'Deliveries that failed: retried later, dead-lettered or crashed',
  });
  const deadLettered = meter.createCounter('jobs.dead_lettered', {
    unit: '{job}',
    description: 'Jobs published to the dead-letter subject',
  });

  const subjects = new Map<string, SubjectAttributes>();
  const attributesOf = (subject: string): SubjectAttributes => {
    let known = subjects.get(subject);
    if (known) return known;
    known = subjectAttributes({ 'messaging.system': 'nats', 'messaging.destination.name': subject });
    if (subjects.size < MAX_SUBJECTS) subjects.set(subject, known);
    return known;
  };

  return {
    record(subject, outcome, seconds) {
      const sets = attributesOf(subject);
      duration.record(seconds, sets.duration[outcome]);
      if (outcome === 'ack') {
        processed.add(1, sets.attributes);
        return;
      }
      failed.add(1, sets.attributes);
      if (outcome === 'dead-letter') deadLettered.add(1, sets.attributes);
    },
  };
}
