import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEdgeServer, HEALTH_PATH, METRICS_PATH, STATUS_PATH } from './server';
import { close, get, listen, startUpstream, tableOf } from './testing/http-fixtures';

const edge = createEdgeServer();
let port: number;
beforeAll(async () => {
  port = await listen(edge.server);
});
afterAll(() => close(edge.server));

describe('edge before any release is live', () => {
  it('answers its health check', async () => {
    const res = await get(port, HEALTH_PATH, { host: '127.0.0.1' });
    expect(res.status).toBe(200);
  });

  it('serves a clear 503 page naming the host, with a request id', async () => {
    const res = await get(port, '/anything', { host: 'web.localhost:8080', 'x-request-id': 'req-123' });
    expect(res.status).toBe(503);
    expect(res.headers['x-request-id']).toBe('req-123');
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body).toContain('Nothing is live at web.localhost');
    expect(res.body).toContain('git push slipway main');
  });

  it('replaces a request id that is not sane', async () => {
    const res = await get(port, '/', { host: 'web.localhost', 'x-request-id': 'a b<c>' });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('escapes a hostile Host header', async () => {
    const res = await get(port, '/', { host: 'a<script>x' });
    expect(res.body).not.toContain('<script>x');
  });
});

describe('edge endpoints', () => {
  it('are served only for hosts without a route, so apps keep their own /__edge paths', async () => {
    const app = await startUpstream('app');
    try {
      edge.routes.apply(tableOf(1, [app.port]));
      const proxied = await get(port, HEALTH_PATH, { host: 'web.localhost' });
      expect(JSON.parse(proxied.body)).toEqual({ name: 'app' });
      const status = await get(port, STATUS_PATH, { host: 'localhost' });
      expect(JSON.parse(status.body)).toEqual({ version: 1, routes: 1, upstreams: 1 });
      const metrics = await get(port, METRICS_PATH, { host: '127.0.0.1' });
      expect(metrics.headers['content-type']).toContain('text/plain');
      expect(metrics.body).toContain('slipway_edge_requests_total{release_id="rel_1",environment_id="env_1",status_class="2xx"} 1');
      expect(metrics.body).toContain('slipway_edge_route_table_version 1');
    } finally {
      await close(app.server);
    }
  });
});
