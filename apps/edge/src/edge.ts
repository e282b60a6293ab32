import type { AddressInfo } from 'node:net';
import { EdgeMetricsStream } from '@slipway/redis';
import { createLogger, type Logger } from './log';
import { startMetricsFlusher, type MetricsFlusher } from './metrics-flusher';
import { RouteSnapshot } from './route-snapshot';
import { startRouteSync, type RouteSync } from './route-sync';
import { createEdgeServer, type EdgeServer } from './server';

export interface EdgeOptions {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  redisUrl: string;
  dataDir: string;
  log?: Logger;
  metricsIntervalMs?: number;
  /** How long shutdown waits for in-flight requests. Default 10 s. */
  shutdownGraceMs?: number;
}

export interface RunningEdge extends EdgeServer {
  port: number;
  sync: RouteSync;
  flusher: MetricsFlusher;
  /** Stop accepting, let in-flight requests finish (up to the grace period), flush metrics, disconnect. */
  stop(): Promise<void>;
}

/** Boot the edge: file snapshot → listen → follow Redis → flush metrics. Serving never waits for Redis. */
export async function startEdge(options: EdgeOptions): Promise<RunningEdge> {
  const log = options.log ?? createLogger();
  const edge = createEdgeServer();
  const sync = startRouteSync({ redisUrl: options.redisUrl, routes: edge.routes, snapshot: new RouteSnapshot(options.dataDir), log });
  const stream = EdgeMetricsStream.connect(options.redisUrl);
  const flusher = startMetricsFlusher({ metrics: edge.metrics, routes: edge.routes, sink: stream, intervalMs: options.metricsIntervalMs });

  await new Promise<void>((resolve, reject) => {
    edge.server.once('error', reject);
    edge.server.listen(options.port, options.host, () => {
      edge.server.off('error', reject);
      resolve();
    });
  });
  const port = (edge.server.address() as AddressInfo).port;

  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= shutdown(edge, options.shutdownGraceMs ?? 10_000, async () => {
    flusher.stop();
    await Promise.race([flusher.flush(), new Promise((r) => setTimeout(r, 1_000).unref())]);
    await Promise.all([sync.close(), stream.close()]);
  }));
  return { ...edge, port, sync, flusher, stop };
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
