import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startHealthServer } from './health.ts';

describe('health endpoints', () => {
  it('answers liveness always and readiness only when ready', async () => {
    let ready = false;
    const server = await startHealthServer({ port: 0, isReady: () => ready });
    const get = async (path: string, method = 'GET') => {
      const res = await fetch(`http://127.0.0.1:${server.port}${path}`, { method });
      return { status: res.status, body: await res.text() };
    };
    try {
      assert.deepEqual(await get('/healthz'), { status: 200, body: '{"status":"ok"}' });
      assert.deepEqual(await get('/readyz'), { status: 503, body: '{"status":"not ready"}' });
      ready = true;
      assert.deepEqual(await get('/readyz?verbose=1'), { status: 200, body: '{"status":"ready"}' });
      assert.equal((await get('/readyz', 'HEAD')).status, 200);
      assert.equal((await get('/other')).status, 404);
      assert.equal((await get('/healthz', 'POST')).status, 405);
    } finally {
      await server.close();
    }
  });
});
