import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { natsConnectionOptions } from './natsConnection.ts';

const auth = (secrets: Record<string, string>) =>
  natsConnectionOptions(['nats://n:4222'], 'worker', new Map(Object.entries(secrets)));

describe('NATS connection options', () => {
  it('connects anonymously without credentials and reconnects forever', () => {
    const { options, auth: kind } = auth({});
    assert.equal(kind, 'none');
    assert.deepEqual(options, { servers: ['nats://n:4222'], name: 'worker', maxReconnectAttempts: -1 });
  });

  it('takes credentials from secrets, creds first', () => {
    const creds = '-----BEGIN NATS USER JWT-----\neyJ0\n------END NATS USER JWT------\n';
    assert.equal(auth({ NATS_CREDS: creds, NATS_TOKEN: 't' }).auth, 'creds');
    assert.equal(auth({ NATS_TOKEN: 't', NATS_USER: 'u', NATS_PASSWORD: 'p' }).auth, 'token');
    assert.equal(auth({ NATS_USER: 'u', NATS_PASSWORD: 'p' }).auth, 'user-password');
    assert.equal(auth({ NATS_USER: 'u' }).auth, 'none');
    assert.equal(typeof auth({ NATS_TOKEN: 't' }).options.authenticator, 'function');
  });
});
