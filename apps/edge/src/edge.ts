import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EdgeMetricsStream } from '@slipway/redis';
import { createLogger, type Logger } from './log';
import { startMarketplace, type EdgeMarketplace } from './marketplace/start-marketplace';
import { startMetricsFlusher, type MetricsFlusher } from './metrics-flusher';
import { RouteSnapshot } from './route-snapshot';
import { startRouteSync, type RouteSync } from './route-sync';
import { createEdgeServer, type EdgeServer } from './server';
import { createAdminServer } from './admin-server';

/** The admin listener binds loopback only, whatever EDGE_HOST is. */
export const ADMIN_HOST = '127.0.0.1';

export interface EdgeOptions {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** Port of the admin endpoints on 127.0.0.1 (EDGE_ADMIN_PORT); 0 picks a free port (tests). */
  adminPort: number;
  redisUrl: string;
  dataDir: string;
  log?: Logger;
  metricsIntervalMs?: number;
  /** Longest a usage event of a listing call waits before its batch is appended. Default 100 ms. */
  usageIntervalMs?: number;
  /** How long shutdown waits for in-flight requests. Default 10 s. */
  shutdownGraceMs?: number;
}

export interface RunningEdge extends EdgeServer {
  port: number;
  adminPort: number;
  admin: Server;
  sync: RouteSync;
  flusher: MetricsFlusher;
  /** Keys, limits and metering of listing hosts. */
  market: EdgeMarketplace;
  /** Stop accepting, let in-flight requests finish (up to the grace period), flush metrics, disconnect. */
  stop(): Promise<void>;
}

/** Boot the edge: file snapshot → listen → follow Redis → flush metrics. Serving never waits for Redis. */
export async function startEdge(options: EdgeOptions): Promise<RunningEdge> {
  const log = options.log ?? createLogger();
  const market = startMarketplace({ redisUrl: options.redisUrl, log, usageIntervalMs: options.usageIntervalMs });
  const edge = createEdgeServer({ marketplace: market.deps });
  const sync = startRouteSync({ redisUrl: options.redisUrl, routes: edge.routes, snapshot: new RouteSnapshot(options.dataDir), log });
  const stream = EdgeMetricsStream.connect(options.redisUrl);
  const flusher = startMetricsFlusher({ metrics: edge.metrics, routes: edge.routes, sink: stream, intervalMs: options.metricsIntervalMs });

  const admin = createAdminServer(edge);
  const port = await listen(edge.server, options.port, options.host);
  const adminPort = await listen(admin, options.adminPort, ADMIN_HOST).catch(async (err: unknown) => {
    await new Promise((r) => edge.server.close(r));
    await market.close();
    throw err;
  });

  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= shutdown(edge, options.shutdownGraceMs ?? 10_000, async () => {
    flusher.stop();
    await Promise.race([flusher.flush(), new Promise((r) => setTimeout(r, 1_000).unref())]);
    await Promise.all([sync.close(), stream.close(), market.close(), new Promise((r) => {
      admin.closeAllConnections();
      admin.close(r);
    })]);
  }));
  return { ...edge, port, adminPort, admin, sync, flusher, market, stop };
}

async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

async function shutdown(edge: EdgeServer, graceMs: number, after: () => Promise<void>): Promise<void> {
  const { server, traffic } = edge;
  traffic.draining = true; // responses now carry `connection: close`
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const deadline = Date.now() + graceMs;
  while (traffic.inFlight > 0 && Date.now() < deadline) {
    server.closeIdleConnections();
    await new Promise((r) => setTimeout(r, 25));
  }
  server.closeAllConnections();
  for (const socket of traffic.upgraded) socket.destroy(); // WebSockets are long-lived: clients reconnect
  await closed;
  edge.agents.destroyAll();
  await after();
}
