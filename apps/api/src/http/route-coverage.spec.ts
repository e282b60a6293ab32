import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATH_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import type { Config } from '@slipway/config';
import { API_PREFIX, routes, type RouteName } from '@slipway/contracts';
import { AppModule } from '../app.module';
import { PRE_RECEIVE_PATH } from '../git/git-hooks';
import { gatewayOnly } from '../gateway/gateway-socket.server';
import { GatewayRoutes } from '../gateway/gateway.routes';
import { PUBLIC_KEY, ROUTE_KEY } from './route.decorator';

type Ctor = new (...args: never[]) => object;

const controllers = (Reflect.getMetadata('controllers', AppModule) ?? []) as Ctor[];

function handlers() {
  return controllers.flatMap((c) =>
    Object.getOwnPropertyNames(c.prototype)
      .filter((name) => name !== 'constructor')
      .map((name) => ({ controller: c.name, name, fn: (c.prototype as Record<string, unknown>)[name] as object, cls: c }))
      .filter((h) => Reflect.getMetadata(METHOD_METADATA, h.fn) !== undefined),
  );
}

describe('every endpoint is guarded and bound to its contract', () => {
  it('has a contract route or an explicit @Public() on each handler', () => {
    const unguarded = handlers().filter((h) => !Reflect.getMetadata(ROUTE_KEY, h.fn) && !Reflect.getMetadata(PUBLIC_KEY, h.fn) && !Reflect.getMetadata(PUBLIC_KEY, h.cls));
    expect(unguarded.map((h) => `${h.controller}.${h.name}`)).toEqual([]);
  });

  it('binds each contract route exactly once, with the declared method and path', () => {
    const bound = handlers()
      .map((h) => ({ name: Reflect.getMetadata(ROUTE_KEY, h.fn) as RouteName | undefined, fn: h.fn }))
      .filter((h): h is { name: RouteName; fn: object } => h.name !== undefined);
    expect(bound.map((b) => b.name).sort()).toEqual((Object.keys(routes) as RouteName[]).sort());
    for (const b of bound) {
      expect(Reflect.getMetadata(PATH_METADATA, b.fn), b.name).toBe(routes[b.name].path);
      expect(RequestMethod[Reflect.getMetadata(METHOD_METADATA, b.fn) as number], b.name).toBe(routes[b.name].method);
    }
  });

  it('declares an organization role on every route under /orgs/:org', () => {
    const missing = Object.entries(routes).filter(([, r]) => r.path.startsWith('/orgs/:org') && !('role' in r));
    expect(missing.map(([n]) => n)).toEqual([]);
  });
});

/**
 * The third router: on the gateway socket (what project relays reach) only GatewayRoutes
 * answers. Every REST route, every other handler, git and the hook endpoint must be 404 there.
 */
describe('the gateway socket serves the model gateway and nothing else', () => {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-sock-'));
  const socketPath = join(dir, 'gateway.sock');
  const answer = (res: ServerResponse, what: string) => res.writeHead(200, { 'content-type': 'text/plain' }).end(what);
  const gateway = new GatewayRoutes(
    { GATEWAY_MAX_BODY_BYTES: 1024, GATEWAY_BODY_BYTES_IN_FLIGHT: 1024 } as Config,
    // Every caller admitted: this spec is about which routes the socket serves, not about keys.
    { admit: () => ({ caller: {} }), messages: async (format: string, _h: unknown, _b: unknown, res: ServerResponse) => answer(res, `messages:${format}`) } as never,
    { countTokens: async (_h: unknown, _b: unknown, res: ServerResponse) => answer(res, 'count_tokens'), models: async (_h: unknown, res: ServerResponse) => answer(res, 'models') } as never,
  );
  const server = createServer(gatewayOnly(gateway));
  beforeAll(() => new Promise<void>((resolve) => server.listen(socketPath, resolve)));
  afterAll(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const call = (method: string, path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ socketPath, method, path, agent: false, headers: { 'content-type': 'application/json' } }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end(['POST', 'PUT', 'PATCH'].includes(method) ? '{}' : undefined);
    });

  it('answers the gateway routes', async () => {
    expect(gateway.served).toEqual(['POST /v1/messages', 'POST /v1/chat/completions', 'POST /v1/messages/count_tokens', 'GET /v1/models']);
    expect(await call('POST', '/v1/messages')).toEqual({ status: 200, body: 'messages:anthropic' });
    expect(await call('POST', '/v1/chat/completions')).toEqual({ status: 200, body: 'messages:openai' });
    expect(await call('POST', '/v1/messages/count_tokens')).toEqual({ status: 200, body: 'count_tokens' });
    expect(await call('GET', '/v1/models?limit=5')).toEqual({ status: 200, body: 'models' });
  });

  it('answers 404 for every REST route, every other handler, git and the push hook', async () => {
    const fill = (path: string) => path.replace(/:([A-Za-z]+)/g, 'x');
    const rest = Object.values(routes).map((r) => ({ method: r.method, path: API_PREFIX + fill(r.path) }));
    const others = handlers()
      .filter((h) => !Reflect.getMetadata(ROUTE_KEY, h.fn))
      .map((h) => ({ method: RequestMethod[Reflect.getMetadata(METHOD_METADATA, h.fn) as number] ?? 'GET', path: `/${[Reflect.getMetadata(PATH_METADATA, h.cls), Reflect.getMetadata(PATH_METADATA, h.fn)].filter((p) => p && p !== '/').join('/')}` }));
    const git = [
      { method: 'GET', path: '/git/acme/web.git/info/refs?service=git-upload-pack' },
      { method: 'POST', path: '/git/acme/web.git/git-receive-pack' },
      { method: 'POST', path: PRE_RECEIVE_PATH },
      { method: 'GET', path: '/v1/messages' }, // a gateway path with another method
    ];
    expect(others.map((o) => o.path)).toEqual(expect.arrayContaining(['/healthz', '/readyz', '/metrics', '/api/docs']));
    for (const { method, path } of [...rest, ...others, ...git]) {
      const res = await call(method, path);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(JSON.parse(res.body)).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
    }
  });
});
