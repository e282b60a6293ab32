import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEdgeServer, HEALTH_PATH } from './server';

const server = createEdgeServer();
let base: string;
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('edge before any release is live', () => {
  it('answers its health check', async () => {
    const res = await fetch(base + HEALTH_PATH);
    expect(res.status).toBe(200);
  });

  it('serves a clear 503 page naming the host, with a request id', async () => {
    const res = await fetch(`${base}/anything`, { headers: { host: 'web.localhost:8080', 'x-request-id': 'req-123' } });
    expect(res.status).toBe(503);
    expect(res.headers.get('x-request-id')).toBe('req-123');
    expect(res.headers.get('retry-after')).toBe('5');
    const html = await res.text();
    expect(html).toContain('Nothing is live at web.localhost');
    expect(html).toContain('git push slipway main');
  });

  it('escapes a hostile Host header', async () => {
    const res = await fetch(`${base}/`, { headers: { host: '<script>x' } });
    expect(await res.text()).not.toContain('<script>x');
  });
});
