import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminServer, HEALTH_PATH, METRICS_PATH, STATUS_PATH } from './admin-server';
import { createEdgeServer } from './server';
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
  it('on the public listener: only a bare health answer for hosts without a route; metrics and status are an unknown page', async () => {
    const app = await startUpstream('app');
    try {
      edge.routes.apply(tableOf(1, [app.port]));
      const proxied = await get(port, HEALTH_PATH, { host: 'web.localhost' });
      expect(JSON.parse(proxied.body)).toEqual({ name: 'app' });
      expect(JSON.parse((await get(port, HEALTH_PATH, { host: '127.0.0.1' })).body)).toEqual({ status: 'ok' });
      for (const path of [STATUS_PATH, METRICS_PATH, `${METRICS_PATH}?x=1`, '/__edge/']) {
        for (const host of ['localhost', '127.0.0.1', 'unknown.example']) {
          const res = await get(port, path, { host });
          expect(res.status, `${host}${path}`).toBe(503);
          expect(res.body).toContain('Nothing is live at');
          expect(res.body).not.toMatch(/env_1|rel_1|slipway_edge_|"routes"/);
        }
      }
    } finally {
      await close(app.server);
    }
  });

  it('on the admin listener: health, Prometheus metrics and status, for loopback host names only', async () => {
    const admin = createAdminServer(edge);
    const adminPort = await listen(admin);
    try {
      expect((await get(adminPort, HEALTH_PATH, { host: '127.0.0.1' })).status).toBe(200);
      const status = await get(adminPort, STATUS_PATH, { host: `localhost:${adminPort}` });
      expect(JSON.parse(status.body)).toEqual({ version: 1, routes: 1, upstreams: 1 });
      const metrics = await get(adminPort, METRICS_PATH, { host: '127.0.0.1' });
      expect(metrics.headers['content-type']).toContain('text/plain');
      expect(metrics.body).toContain('slipway_edge_requests_total{release_id="rel_1",environment_id="env_1",status_class="2xx"} 1');
      expect(metrics.body).toContain('slipway_edge_route_table_version 1');
      // A page that rebinds its own name to 127.0.0.1 reaches this port with its own Host.
      const rebound = await get(adminPort, STATUS_PATH, { host: 'attacker.example:8081' });
      expect(rebound.status).toBe(421);
      expect(rebound.body).not.toContain('routes');
      expect((await get(adminPort, '/anything', { host: '127.0.0.1' })).status).toBe(404);
    } finally {
      await close(admin);
    }
  });
});
