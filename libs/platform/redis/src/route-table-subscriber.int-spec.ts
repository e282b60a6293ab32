import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EdgeRouteTable } from '@slipway/contracts';
import { afterAll, describe, expect, it } from 'vitest';
import { RouteTableStore } from './route-table-store';
import { ROUTE_FOLLOW_RECONNECT_MS, RouteTableSubscriber } from './route-table-subscriber';

/**
 * The edge's route follower against a Redis of this test's own that goes away for 6 s and
 * comes back (the shared Redis is never restarted): a table published just after Redis is back
 * reaches it within the follower's reconnect cap, as a deployment's switch must, before the
 * old replicas stop.
 */
const password = randomBytes(12).toString('hex');
let server: ChildProcess | null = null;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });

/** A store on its own connection, once that connection answers. */
async function connectedStore(url: string): Promise<RouteTableStore> {
  const store = RouteTableStore.connect(url, 100);
  for (let i = 0; i < 100 && (await store.client.ping().catch(() => '')) !== 'PONG'; i++) await sleep(50);
  return store;
}

/** redis-server with its settings on stdin (the password stays out of `ps`), no persistence. */
async function startRedis(port: number): Promise<void> {
  const child = spawn('redis-server', ['-'], { stdio: ['pipe', 'ignore', 'ignore'] });
  child.stdin!.end(`port ${port}\nbind 127.0.0.1\nsave ""\nappendonly no\nrequirepass ${password}\n`);
  server = child;
  await (await connectedStore(`redis://:${password}@127.0.0.1:${port}`)).close();
}

async function stopRedis(): Promise<void> {
  const child = server!;
  server = null;
  await new Promise<void>((r) => {
    child.once('exit', () => r());
    child.kill('SIGKILL');
  });
}

const table = (version: number, port: number): EdgeRouteTable => ({
  version,
  generatedAt: new Date().toISOString(),
  routes: [
    {
      hosts: ['app.localhost'],
      organizationId: 'o',
      projectId: 'p',
      environmentId: 'e',
      releaseId: `r${version}`,
      upstreams: [{ host: '127.0.0.1', port, containerId: `c${port}` }],
    },
  ],
});

afterAll(async () => {
  if (server) await stopRedis();
});

describe('RouteTableSubscriber through a Redis restart', () => {
  it(`hears a table published after Redis comes back within ${ROUTE_FOLLOW_RECONNECT_MS} ms (+ a load)`, async () => {
    const port = await freePort();
    const url = `redis://:${password}@127.0.0.1:${port}`;
    await startRedis(port);
    const seen: number[] = [];
    const follower = new RouteTableSubscriber({ redisUrl: url, onTable: (t) => seen.push(t.version), resyncIntervalMs: 0 });
    follower.start();
    try {
      const publisher = await connectedStore(url);
      await publisher.publish(table(1, 3001));
      for (let i = 0; i < 50 && !seen.includes(1); i++) await sleep(100);
      expect(seen).toEqual([1]);
      await publisher.close();

      await stopRedis();
      await sleep(6_000); // long enough for a 5 s backoff to set in
      await startRedis(port);
      const again = await connectedStore(url);
      // The deployment's switch: no announcement reaches a follower that is not connected yet.
      const publishedAt = Date.now();
      await again.publish(table(2, 3002));
      while (!seen.includes(2) && Date.now() - publishedAt < 10_000) await sleep(20);
      await again.close();
      expect(seen).toEqual([1, 2]);
      expect(Date.now() - publishedAt).toBeLessThan(1_500); // the reconnect cap (1 s) and a load
    } finally {
      await follower.close();
    }
  }, 30_000);
});
