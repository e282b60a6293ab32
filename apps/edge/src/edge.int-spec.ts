import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EDGE_ROUTES_CHANNEL, EDGE_ROUTES_KEY } from '@slipway/contracts';
import { EdgeMetricsStream, RouteTableStore } from '@slipway/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdge, type RunningEdge } from './edge';
import { silentLogger } from './log';
import { close, get, startUpstream, tableOf } from './testing/http-fixtures';

// A db index of its own: only this db is flushed.
const url = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:63799');
url.pathname = '/5';
const REDIS_URL = url.toString();
const UNREACHABLE = 'redis://127.0.0.1:1';

const dataDir = mkdtempSync(path.join(tmpdir(), 'edge-int-'));
const store = RouteTableStore.connect(REDIS_URL);
const stream = EdgeMetricsStream.connect(REDIS_URL);
let edge: RunningEdge;
let ups: Awaited<ReturnType<typeof startUpstream>>[] = [];

async function until(cond: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
const web = () => get(edge.port, '/', { host: 'web.localhost:8080' });

beforeAll(async () => {
  await until(() => store.client.status === 'ready');
  await store.client.flushdb();
  ups = await Promise.all(['a', 'b', 'c'].map((n) => startUpstream(n)));
  edge = await startEdge({ host: '127.0.0.1', port: 0, adminPort: 0, redisUrl: REDIS_URL, dataDir, log: silentLogger, metricsIntervalMs: 200, shutdownGraceMs: 2_000 });
});

afterAll(async () => {
  await edge?.stop();
  await Promise.all(ups.map((u) => close(u.server)));
  await Promise.all([store.close(), stream.close()]);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('edge with Redis', () => {
  it('serves 503 until a table is published, then reaches both replicas', async () => {
    expect((await web()).status).toBe(503);
    const [a, b] = ups;
    expect(await store.publish(tableOf(1, [a!.port, b!.port], ['web.localhost'], 'rel_v1'))).toEqual({ published: true, version: 1 });
    await until(() => edge.routes.version === 1);
    const names = new Set<string>();
    for (let i = 0; i < 6; i++) names.add(JSON.parse((await web()).body).name);
    expect([...names].sort()).toEqual(['a', 'b']);
  });

  it('switches to a new release without a failed request under steady load', async () => {
    const [a, b, c] = ups;
    const results: { status: number; name?: string; at: number }[] = [];
    let switchedAt = Infinity;
    const TOTAL = 300;
    let issued = 0;
    const worker = async () => {
      while (issued < TOTAL) {
        issued++;
        try {
          const res = await web();
          results.push({ status: res.status, name: res.status === 200 ? JSON.parse(res.body).name : undefined, at: Date.now() });
        } catch {
          results.push({ status: 0, at: Date.now() });
        }
        await new Promise((r) => setTimeout(r, 50)); // 5 workers × ~20 req/s ≈ 3 s
      }
    };
    const load = Promise.all(Array.from({ length: 5 }, worker));
    await new Promise((r) => setTimeout(r, 1_000));
    await store.publish(tableOf(2, [c!.port], ['web.localhost'], 'rel_v2'));
    await until(() => edge.routes.version === 2);
    switchedAt = Date.now();
    // The deployer drains, then stops the old replicas while traffic continues.
    await new Promise((r) => setTimeout(r, 300));
    await Promise.all([close(a!.server), close(b!.server)]);
    await load;

    expect(results).toHaveLength(TOTAL);
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    expect(results.filter((r) => r.at > switchedAt + 50).every((r) => r.name === 'c')).toBe(true);
    expect(results.some((r) => r.name === 'c')).toBe(true);
    expect(results.some((r) => r.name === 'a' || r.name === 'b')).toBe(true);
  });

  it('refuses an older table at publish time and ignores a broken one', async () => {
    expect(await store.publish(tableOf(1, [ups[0]!.port]))).toEqual({ published: false, currentVersion: 2 });
    await store.client.set(EDGE_ROUTES_KEY, '{"version":3,"routes":"oops"}');
    await store.client.publish(EDGE_ROUTES_CHANNEL, '3');
    await new Promise((r) => setTimeout(r, 200));
    expect(edge.routes.version).toBe(2);
    expect(JSON.parse((await web()).body).name).toBe('c');
  });

  it('appends per-release metrics to the stream', async () => {
    let entries: Awaited<ReturnType<typeof stream.read>> = [];
    const end = Date.now() + 3_000;
    while (Date.now() < end) {
      entries = await stream.read();
      if (entries.some((e) => e.metrics.releaseId === 'rel_v2') && entries.some((e) => e.metrics.releaseId === 'rel_v1')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const total = (id: string) => entries.filter((e) => e.metrics.releaseId === id).reduce((n, e) => n + e.metrics.requests, 0);
    expect(total('rel_v1')).toBeGreaterThan(0);
    expect(total('rel_v2')).toBeGreaterThan(0);
    const one = entries[0]!.metrics;
    expect(one.latencyCounts.reduce((n, c) => n + c, 0)).toBe(one.requests);
  });

  it('counts normalised paths in the stream entries (no query strings, ids folded) and serves per-release Prometheus series', async () => {
    for (const p of ['/users/42?token=s3cret', '/users/77', '/users/77/orders/9f8e7d6c5b4a39281706f5e4d3c2b1a0']) {
      expect((await get(edge.port, p, { host: 'web.localhost' })).status).toBe(200);
    }
    // read() answers the whole stream: wait until the flush with these requests is in it.
    let paths: { path: string; requests: number }[] = [];
    const count = (path: string) => paths.filter((p) => p.path === path).reduce((n, p) => n + p.requests, 0);
    const end = Date.now() + 3_000;
    while (Date.now() < end && count('/users/:id') + count('/users/:id/orders/:id') < 3) {
      paths = (await stream.read()).filter((e) => e.metrics.releaseId === 'rel_v2').flatMap((e) => e.metrics.paths ?? []);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(count('/users/:id')).toBe(2);
    expect(count('/users/:id/orders/:id')).toBe(1);
    expect(JSON.stringify(paths)).not.toContain('s3cret');

    const page = await get(edge.adminPort, '/__edge/metrics', { host: '127.0.0.1' });
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/slipway_edge_requests_total\{release_id="rel_v2",environment_id="[^"]+",status_class="2xx"\} \d+/);
    expect(page.body).toMatch(/http_server_request_duration_seconds_count\{release_id="rel_v2",environment_id="[^"]+"\} \d+/);
    expect(page.body).not.toContain('/users');
  });

  it('after a restart with Redis unreachable, serves the last table from its file snapshot', async () => {
    await edge.stop();
    edge = await startEdge({ host: '127.0.0.1', port: 0, adminPort: 0, redisUrl: UNREACHABLE, dataDir, log: silentLogger, shutdownGraceMs: 1_000 });
    expect(edge.routes.version).toBe(2);
    const res = await web();
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).name).toBe('c');
  });

  it('with neither Redis nor a snapshot, answers the 503 page', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'edge-int-empty-'));
    const lonely = await startEdge({ host: '127.0.0.1', port: 0, adminPort: 0, redisUrl: UNREACHABLE, dataDir: empty, log: silentLogger, shutdownGraceMs: 500 });
    try {
      const res = await get(lonely.port, '/', { host: 'web.localhost' });
      expect(res.status).toBe(503);
    } finally {
      await lonely.stop();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
