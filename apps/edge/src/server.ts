import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { proxyHttp, type ProxyTarget } from './http-proxy';
import { EdgeMetricsCollector } from './metrics';
import { sendNotLive, writeRawPage } from './pages';
import { renderPrometheus } from './prometheus';
import { hostOf, requestIdOf } from './proxy-headers';
import { RouteTable } from './route-table';
import { UpstreamAgents } from './upstream-agents';
import { proxyUpgrade } from './upgrade-proxy';

export const HEALTH_PATH = '/__edge/healthz';
export const METRICS_PATH = '/__edge/metrics';
export const STATUS_PATH = '/__edge/status';
const ADMIN_PREFIX = '/__edge/';

export interface EdgeServerDeps {
  routes?: RouteTable;
  agents?: UpstreamAgents;
  metrics?: EdgeMetricsCollector;
}

/** In-flight work the graceful shutdown waits for. */
export interface EdgeTraffic {
  inFlight: number;
  readonly upgraded: Set<Duplex>;
  draining: boolean;
}

export interface EdgeServer {
  server: Server;
  routes: RouteTable;
  agents: UpstreamAgents;
  metrics: EdgeMetricsCollector;
  traffic: EdgeTraffic;
}

/**
 * The edge's own endpoints. They answer only for hosts that have no route, so an app's own
 * `/__edge/...` paths still reach the app: use `http://127.0.0.1:<EDGE_PORT>/__edge/...`.
 */
function serveAdmin(req: IncomingMessage, res: ServerResponse, edge: EdgeServer, requestId: string): boolean {
  const path = (req.url ?? '').split('?')[0]!;
  if (!path.startsWith(ADMIN_PREFIX)) return false;
  const json = { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-request-id': requestId };
  if (path === HEALTH_PATH) {
    res.writeHead(200, json).end('{"status":"ok"}');
  } else if (path === METRICS_PATH) {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4', 'cache-control': 'no-store' }).end(renderPrometheus(edge.metrics, edge.routes.version));
  } else if (path === STATUS_PATH) {
    res.writeHead(200, json).end(JSON.stringify({ version: edge.routes.version, routes: edge.routes.routeCount, upstreams: edge.routes.liveUpstreams().size }));
  } else {
    res.writeHead(404, json).end('{"error":"not found"}');
  }
  return true;
}

/**
 * The data-plane router on node:http (no framework on the hot path): Host → route → one of its
 * replicas, round-robin. Hosts with no route get the "nothing is live" page (503).
 */
export function createEdgeServer(deps: EdgeServerDeps = {}): EdgeServer {
  const server = createServer();
  const edge: EdgeServer = {
    server,
    routes: deps.routes ?? new RouteTable(),
    agents: deps.agents ?? new UpstreamAgents(),
    metrics: deps.metrics ?? new EdgeMetricsCollector(),
    traffic: { inFlight: 0, upgraded: new Set(), draining: false },
  };
  const { routes, agents, metrics, traffic } = edge;
  routes.onChange((_table, removed) => agents.retire(removed));

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const requestId = requestIdOf(req);
    const host = hostOf(req.headers);
    const live = routes.lookup(host);
    traffic.inFlight++;
    if (traffic.draining) res.setHeader('connection', 'close');
    res.once('close', () => {
      traffic.inFlight--;
      if (!live) return;
      const status = res.headersSent ? res.statusCode : 499; // 499: the client left first
      metrics.record(live.route.releaseId, live.route.environmentId, status, performance.now() - started);
    });
    if (!live) {
      metrics.unrouted++;
      if (!serveAdmin(req, res, edge, requestId)) sendNotLive(res, host, requestId);
      return;
    }
    const target: ProxyTarget = { host, requestId, live, routes, agents };
    proxyHttp(req, res, target);
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const requestId = requestIdOf(req);
    const host = hostOf(req.headers);
    const live = routes.lookup(host);
    if (!live || traffic.draining) return writeRawPage(socket, 503, host, requestId);
    metrics.record(live.route.releaseId, live.route.environmentId, 101, 0);
    proxyUpgrade(req, socket, head, { host, requestId, live, routes, agents }, (open) => {
      traffic.upgraded.add(open);
      open.once('close', () => traffic.upgraded.delete(open));
    });
  });

  // A client that never finishes its headers is cut by headersTimeout; bodies may stream for long.
  server.on('clientError', (_err, socket: Duplex) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });
  return edge;
}
