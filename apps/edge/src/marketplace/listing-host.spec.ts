import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEdgeServer } from '../server';
import { close, get, listen, startUpstream } from '../testing/http-fixtures';
import { keyOf, marketTableOf } from '../testing/marketplace-fixtures';

// An edge built without its marketplace parts (no Redis): listing hosts must never be served unenforced.
const edge = createEdgeServer();
let port: number;
let app: Awaited<ReturnType<typeof startUpstream>>;
beforeAll(async () => {
  port = await listen(edge.server);
  app = await startUpstream('app');
  edge.routes.apply(marketTableOf(1, [app.port]));
});
afterAll(async () => {
  await close(edge.server);
  await close(app.server);
});

describe('a listing host on an edge that cannot enforce it', () => {
  it('answers 503 metering_unavailable and forwards nothing, while the plain host of the same release is served', async () => {
    const res = await get(port, '/forecast', { host: 'weather.api.localhost', 'x-api-key': keyOf().key });
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(JSON.parse(res.body)).toMatchObject({ code: 'metering_unavailable', status: 503 });
    expect(app.seen).toHaveLength(0);
    expect((await get(port, '/', { host: 'web.localhost' })).status).toBe(200);
  });

  it('refuses a WebSocket upgrade on the listing host with a problem answer', async () => {
    const before = app.seen.length;
    const head = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/stream', headers: { host: 'weather.api.localhost', connection: 'upgrade', upgrade: 'websocket' } });
      req.on('response', (res) => resolve(String(res.statusCode)));
      req.on('upgrade', () => reject(new Error('upgraded')));
      req.on('error', reject).end();
    });
    expect(head).toBe('403');
    expect(app.seen).toHaveLength(before);
  });
});
