import { createServer, request, type IncomingHttpHeaders, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EdgeRouteTable } from '@slipway/contracts';

/** Test helpers (excluded from the build): loopback servers and a node:http client that can set Host. */
export async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

export function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

export interface Seen {
  name: string;
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

/** An upstream app that answers `{name, ...request}` as JSON and records what it saw. */
export async function startUpstream(name: string, handler?: RequestListener): Promise<{ server: Server; port: number; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer(
    handler ??
      ((req, res) => {
        seen.push({ name, method: req.method ?? '', url: req.url ?? '', headers: req.headers });
        req.resume().on('end', () => {
          res.writeHead(200, { 'content-type': 'application/json', 'x-upstream': name, 'keep-alive': 'timeout=5', 'x-private': 'drop-me', connection: 'x-private' });
          res.end(JSON.stringify({ name }));
        });
      }),
  );
  return { server, port: await listen(server), seen };
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET', body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      res.on('error', reject);
    });
    req.on('error', reject).end(body);
  });
}

export function tableOf(version: number, ports: number[], hosts = ['web.localhost'], releaseId = 'rel_1'): EdgeRouteTable {
  return {
    version,
    generatedAt: new Date().toISOString(),
    routes: [
      {
        hosts,
        organizationId: 'org_1',
        projectId: 'prj_1',
        environmentId: 'env_1',
        releaseId,
        upstreams: ports.map((port, i) => ({ host: '127.0.0.1' as const, port, containerId: `c${i}` })),
      },
    ],
  };
}

/** A port nothing listens on (bound then released). */
export async function deadPort(): Promise<number> {
  const s = createServer();
  const port = await listen(s);
  await close(s);
  return port;
}
