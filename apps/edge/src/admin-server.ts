import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createEdgeRegistry, PROMETHEUS_CONTENT_TYPE } from './prometheus';
import { hostOf } from './proxy-headers';
import type { EdgeServer } from './server';

export const HEALTH_PATH = '/__edge/healthz';
export const METRICS_PATH = '/__edge/metrics';
export const STATUS_PATH = '/__edge/status';

/** Host names a loopback client uses; anything else is a browser led here by DNS rebinding. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' };

/**
 * The edge's admin endpoints, on a listener of their own that binds 127.0.0.1 (EDGE_ADMIN_PORT):
 * metrics and status name every tenant's releases and traffic, so they never answer on the public
 * listener. Requests must name a loopback host, so a web page cannot read them through DNS
 * rebinding either.
 */
export function createAdminServer(edge: Pick<EdgeServer, 'routes' | 'metrics' | 'marketplace'>): Server {
  const registry = createEdgeRegistry(edge.metrics, () => edge.routes.version, edge.marketplace);
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    if (!LOOPBACK_HOSTS.has(hostOf(req.headers))) {
      res.writeHead(421, JSON_HEADERS).end('{"error":"use http://127.0.0.1:<EDGE_ADMIN_PORT>"}');
      return;
    }
    const path = (req.url ?? '').split('?')[0];
    if (path === HEALTH_PATH) {
      res.writeHead(200, JSON_HEADERS).end('{"status":"ok"}');
    } else if (path === METRICS_PATH) {
      registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE, 'cache-control': 'no-store' }).end(text),
        () => res.writeHead(500, JSON_HEADERS).end('{"error":"metrics failed to render"}'),
      );
    } else if (path === STATUS_PATH) {
      res.writeHead(200, JSON_HEADERS).end(JSON.stringify({ version: edge.routes.version, routes: edge.routes.routeCount, upstreams: edge.routes.liveUpstreams().size }));
    } else {
      res.writeHead(404, JSON_HEADERS).end('{"error":"not found"}');
    }
  });
}
