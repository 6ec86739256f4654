// Health endpoints for Kubernetes probes. The worker serves no other HTTP.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HealthServer {
  /** The port actually bound (useful with PORT=0). */
  port: number;
  close(): Promise<void>;
}

/**
 * Serves `GET /healthz` (liveness: 200 while the process runs) and `GET /readyz` (readiness: 200 only while
 * `isReady()` is true, else 503).
 */
export async function startHealthServer(options: { port: number; isReady: () => boolean }): Promise<HealthServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, body: Record<string, string>) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : JSON.stringify(body));
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, { error: 'method not allowed' });
    if (path === '/healthz') return send(200, { status: 'ok' });
    if (path === '/readyz') {
      return options.isReady() ? send(200, { status: 'ready' }) : send(503, { status: 'not ready' });
    }
    return send(404, { error: 'not found' });
  });
  // Probes open a connection per check: don't let idle keep-alive sockets hold up shutdown.
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
