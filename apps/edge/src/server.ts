import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { proxyHttp, type ProxyTarget } from './http-proxy';
import { EdgeMetricsCollector } from './metrics';
import { HEALTH_PATH } from './admin-server';
import { sendNotLive, writeRawPage } from './pages';
import { serveListing, type ListingProxyDeps } from './marketplace/listing-proxy';
import { rawProblem, sendProblem } from './marketplace/problems';
import { hostOf, requestIdOf } from './proxy-headers';
import { RouteTable } from './route-table';
import { UpstreamAgents } from './upstream-agents';
import { proxyUpgrade } from './upgrade-proxy';

export interface EdgeServerDeps {
  routes?: RouteTable;
  agents?: UpstreamAgents;
  metrics?: EdgeMetricsCollector;
  /** Enforcement on listing hosts (keys, limits, metering); without it they answer 503 (never unenforced). */
  marketplace?: ListingProxyDeps;
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
  marketplace?: ListingProxyDeps;
}

/**
 * The one edge endpoint on the public listener: a liveness answer for load balancers, with
 * nothing in it, and only for hosts that have no route (an app keeps its own `/__edge/...`
 * paths). Metrics and status are on the admin listener (admin-server.ts).
 */
function servePublicHealth(req: IncomingMessage, res: ServerResponse, requestId: string): boolean {
  if ((req.url ?? '').split('?')[0] !== HEALTH_PATH) return false;
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-request-id': requestId }).end('{"status":"ok"}');
  return true;
}

/**
 * The data-plane router on node:http (no framework on the hot path): Host → route → one of its
 * replicas, round-robin. Hosts with no route get the "nothing is live" page (503), whatever the
 * path: nothing on this listener tells one tenant about another.
 */
export function createEdgeServer(deps: EdgeServerDeps = {}): EdgeServer {
  const server = createServer();
  const edge: EdgeServer = {
    server,
    routes: deps.routes ?? new RouteTable(),
    agents: deps.agents ?? new UpstreamAgents(),
    metrics: deps.metrics ?? new EdgeMetricsCollector(),
    traffic: { inFlight: 0, upgraded: new Set(), draining: false },
    marketplace: deps.marketplace,
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
      metrics.record(live.route.releaseId, live.route.environmentId, status, performance.now() - started, req.url);
    });
    if (!live) {
      metrics.unrouted++;
      if (!servePublicHealth(req, res, requestId)) sendNotLive(res, host, requestId);
      return;
    }
    const target: ProxyTarget = { host, requestId, live, routes, agents };
    if (live.route.listing) {
      if (edge.marketplace) serveListing(req, res, target, live.route.listing, edge.marketplace);
      else sendProblem(res, 'metering_unavailable', requestId, 'This edge does not enforce published APIs.', { 'retry-after': '1' });
      return;
    }
    proxyHttp(req, res, target);
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const requestId = requestIdOf(req);
    const host = hostOf(req.headers);
    const live = routes.lookup(host);
    if (!live || traffic.draining) return writeRawPage(socket, 503, host, requestId);
    if (live.route.listing) return void socket.end(rawProblem('operation_not_in_plan', requestId, 'WebSocket upgrades are not offered on published APIs.'));
    metrics.record(live.route.releaseId, live.route.environmentId, 101, 0, req.url);
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
