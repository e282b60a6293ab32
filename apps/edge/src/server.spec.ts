import { request } from 'node:http';
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

/** node:http, because fetch does not let a caller set the Host header. */
function get(path: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(base + path, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject).end();
  });
}

describe('edge before any release is live', () => {
  it('answers its health check', async () => {
    const res = await fetch(base + HEALTH_PATH);
    expect(res.status).toBe(200);
  });

  it('serves a clear 503 page naming the host, with a request id', async () => {
    const res = await get('/anything', { host: 'web.localhost:8080', 'x-request-id': 'req-123' });
    expect(res.status).toBe(503);
    expect(res.headers['x-request-id']).toBe('req-123');
    expect(res.headers['retry-after']).toBe('5');
    const html = res.body;
    expect(html).toContain('Nothing is live at web.localhost');
    expect(html).toContain('git push slipway main');
  });

  it('escapes a hostile Host header', async () => {
    const res = await get('/', { host: 'a<script>x' });
    expect(res.body).not.toContain('<script>x');
  });
});
