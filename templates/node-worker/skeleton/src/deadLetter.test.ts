import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PubAck } from '@nats-io/jetstream';
import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import {
  createDeadLetterPublisher,
  DEAD_LETTER_HEADERS,
  deadLetterHeaders,
  deadLetterMsgId,
  headerSafe,
} from './deadLetter.ts';
import { fakeMessage } from './testing/fakeMessage.ts';

function originalHeaders(): MsgHdrs {
  const headers = natsHeaders();
  headers.set('traceparent', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
  headers.set('Tenant', 'acme');
  headers.append('Tenant', 'acme-eu');
  headers.set('Nats-Msg-Id', 'order-1');
  headers.set('Nats-Expected-Stream', 'test-jobs');
  return headers;
}

describe('dead-letter messages', () => {
  it('keep the original headers, drop Nats-* ones and say why', () => {
    const job = fakeMessage({ headers: originalHeaders(), deliveryCount: 5, streamSequence: 42 });
    const headers = deadLetterHeaders(job, 'InvalidJobError: payload is not JSON', new Date('2026-01-02T03:04:05Z'));

    assert.equal(headers.get('traceparent'), '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
    assert.deepEqual(headers.values('Tenant'), ['acme', 'acme-eu']);
    assert.equal(headers.has('Nats-Msg-Id'), false);
    assert.equal(headers.has('Nats-Expected-Stream'), false);
    assert.deepEqual(
      Object.values(DEAD_LETTER_HEADERS).map(key => [key, headers.get(key)]),
      [
        ['Dead-Letter-Error', 'InvalidJobError: payload is not JSON'],
        ['Dead-Letter-Deliveries', '5'],
        ['Dead-Letter-Subject', 'test.jobs'],
        ['Dead-Letter-Stream', 'test-jobs'],
        ['Dead-Letter-Sequence', '42'],
        ['Dead-Letter-Consumer', 'test'],
        ['Dead-Letter-Time', '2026-01-02T03:04:05.000Z'],
      ],
    );
  });

  it('work for messages without headers', () => {
    const headers = deadLetterHeaders(fakeMessage({}), 'boom');
    assert.equal(headers.get(DEAD_LETTER_HEADERS.error), 'boom');
  });

  it('turn multi-line and long errors into one bounded header line', () => {
    assert.equal(headerSafe('first\r\nsecond\nthird '), 'first second third');
    const long = headerSafe('x'.repeat(5_000));
    assert.equal(long.length, 1024);
    assert.ok(long.endsWith('…'));
  });

  it('are published with the payload unchanged and a stable message id', async () => {
    const published: Array<{ subject: string; data: Uint8Array; msgID?: string; headers?: MsgHdrs }> = [];
    const js = {
      async publish(subject: string, data?: string | Uint8Array, options?: { msgID?: string; headers?: MsgHdrs }) {
        published.push({ subject, data: data as Uint8Array, ...options });
        return { stream: 'test-dlq', seq: 1, duplicate: false } satisfies PubAck;
      },
    };
    const job = fakeMessage({ data: '{"broken":', headers: originalHeaders(), deliveryCount: 3 });

    await createDeadLetterPublisher(js, 'test.dlq')(job, 'SyntaxError: bad');

    assert.equal(published.length, 1);
    assert.equal(published[0]?.subject, 'test.dlq');
    assert.equal(new TextDecoder().decode(published[0]?.data), '{"broken":');
    assert.equal(published[0]?.msgID, deadLetterMsgId(job));
    assert.equal(deadLetterMsgId(job), 'dlq:test-jobs:7');
    assert.equal(published[0]?.headers?.get(DEAD_LETTER_HEADERS.deliveries), '3');
  });
});
