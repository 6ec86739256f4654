// How the worker connects to NATS: servers from NATS_URL, credentials from secret files.
import {
  credsAuthenticator,
  tokenAuthenticator,
  usernamePasswordAuthenticator,
  type NodeConnectionOptions,
} from '@nats-io/transport-node';
import type { Secrets } from './secrets.ts';

export type NatsAuth = 'creds' | 'token' | 'user-password' | 'none';

/**
 * Connection options. Credentials come from SECRETS_DIR, first match wins:
 * NATS_CREDS (a .creds file: JWT + NKey seed, the usual choice for NATS accounts), NATS_TOKEN, or
 * NATS_USER + NATS_PASSWORD. Without any of them the connection is anonymous (local development).
 */
export function natsConnectionOptions(
  servers: string[],
  name: string,
  secrets: Secrets,
): { options: NodeConnectionOptions; auth: NatsAuth } {
  // Reconnect forever: while disconnected /readyz answers 503, and the client catches up when the server is back.
  const options: NodeConnectionOptions = { servers, name, maxReconnectAttempts: -1 };
  const creds = secrets.get('NATS_CREDS');
  if (creds) {
    return {
      options: { ...options, authenticator: credsAuthenticator(new TextEncoder().encode(creds)) },
      auth: 'creds',
    };
  }
  const token = secrets.get('NATS_TOKEN');
  if (token) return { options: { ...options, authenticator: tokenAuthenticator(token) }, auth: 'token' };
  const user = secrets.get('NATS_USER');
  const password = secrets.get('NATS_PASSWORD');
  if (user && password) {
    return {
      options: { ...options, authenticator: usernamePasswordAuthenticator(user, password) },
      auth: 'user-password',
    };
  }
  return { options, auth: 'none' };
}
