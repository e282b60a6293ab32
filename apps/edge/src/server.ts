import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { notLivePage } from './not-live-page';

export const HEALTH_PATH = '/__edge/healthz';

/**
 * The data-plane router on node:http (no framework on the hot path). Until push-to-deploy
 * lands there is no route table, so every app host answers 503 with a clear page.
 */
export function createEdgeServer(): Server {
  return createServer((req, res) => {
    const requestId = (typeof req.headers['x-request-id'] === 'string' && req.headers['x-request-id']) || randomUUID();
    res.setHeader('x-request-id', requestId);
    if (req.url === HEALTH_PATH) {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    res.writeHead(503, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'retry-after': '5' }).end(notLivePage(host, requestId));
  });
}
