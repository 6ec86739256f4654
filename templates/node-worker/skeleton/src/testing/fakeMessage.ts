// A stand-in for a JetStream message that records how it was settled.
import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import type { JobMessage } from '../delivery.ts';

export type FakeMessage = JobMessage & { acks: number; naks: Array<number | undefined> };

export function fakeMessage(init: {
  data?: Uint8Array | string;
  headers?: MsgHdrs | Record<string, string>;
  deliveryCount?: number;
  subject?: string;
  streamSequence?: number;
}): FakeMessage {
  let headers: MsgHdrs | undefined;
  if (init.headers && typeof (init.headers as MsgHdrs).keys === 'function') {
    headers = init.headers as MsgHdrs;
  } else if (init.headers) {
    headers = natsHeaders();
    for (const [key, value] of Object.entries(init.headers as Record<string, string>)) headers.set(key, value);
  }
  const data = typeof init.data === 'string' ? new TextEncoder().encode(init.data) : (init.data ?? new Uint8Array());
  const msg: FakeMessage = {
    subject: init.subject ?? 'test.jobs',
    data,
    headers,
    info: {
      stream: 'test-jobs',
      consumer: 'test',
      streamSequence: init.streamSequence ?? 7,
      deliveryCount: init.deliveryCount ?? 1,
    },
    acks: 0,
    naks: [],
    async ackAck() {
      msg.acks += 1;
      return true;
    },
    nak(millis?: number) {
      msg.naks.push(millis);
    },
  };
  return msg;
}
