import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { trace } from '@opentelemetry/api';
import { createLogger } from './logger.ts';
import { recordSpans } from './testing/tracing.ts';

const spans = recordSpans('logger-test');
after(() => spans.shutdown());

describe('logger', () => {
  const capture = (level: 'debug' | 'info' | 'warn' | 'error') => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger({
      level,
      write: line => lines.push(JSON.parse(line)),
      now: () => new Date('2026-01-01T00:00:00Z'),
    });
    return { logger, lines };
  };

  it('writes JSON lines at or above its level', () => {
    const { logger, lines } = capture('info');
    logger.debug('hidden');
    logger.info('started', { port: 8080 });
    logger.error('failed', { error: new Error('boom') });
    assert.deepEqual(lines, [
      { time: '2026-01-01T00:00:00.000Z', level: 'INFO', msg: 'started', port: 8080 },
      { time: '2026-01-01T00:00:00.000Z', level: 'ERROR', msg: 'failed', error: 'boom' },
    ]);
  });

  it('adds the ids of the active span', () => {
    const { logger, lines } = capture('info');
    trace.getTracer('test').startActiveSpan('job', span => {
      logger.info('inside');
      span.end();
    });
    const { traceId, spanId } = spans.exporter.getFinishedSpans()[0]!.spanContext();
    assert.equal(lines[0]?.trace_id, traceId);
    assert.equal(lines[0]?.span_id, spanId);
  });
});
