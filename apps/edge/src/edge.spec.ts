import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEdge } from './edge';
import { silentLogger } from './log';
import { close, get, startUpstream, tableOf } from './testing/http-fixtures';

const dataDir = mkdtempSync(path.join(tmpdir(), 'edge-stop-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('graceful shutdown', () => {
  it('stops accepting, lets the in-flight request finish, then resolves', async () => {
    const slow = await startUpstream('slow', (_req, res) => setTimeout(() => res.end('done'), 300));
    // Redis is unreachable on purpose: shutdown must not depend on it.
    const edge = await startEdge({ host: '127.0.0.1', port: 0, adminPort: 0, redisUrl: 'redis://127.0.0.1:1', dataDir, log: silentLogger, shutdownGraceMs: 5_000 });
    expect((edge.admin.address() as AddressInfo).address).toBe('127.0.0.1'); // the admin listener is loopback-only
    edge.routes.apply(tableOf(1, [slow.port]));
    const inFlight = new Promise<{ status: number; body: string; connection?: string }>((resolve, reject) => {
      request({ host: '127.0.0.1', port: edge.port, path: '/', headers: { host: 'web.localhost' } }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
      })
        .on('error', reject)
        .end();
    });
    await new Promise((r) => setTimeout(r, 50));
    const stopped = edge.stop();
    await new Promise((r) => setTimeout(r, 20));
    await expect(get(edge.port, '/', { host: 'web.localhost' })).rejects.toThrow(/ECONNREFUSED/);
    expect(await inFlight).toMatchObject({ status: 200, body: 'done' });
    await stopped;
    await close(slow.server);
  });
});
