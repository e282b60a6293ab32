import { createServer, request } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEdgeServer } from './server';
import { close, deadPort, get, listen, startUpstream, tableOf } from './testing/http-fixtures';

const edge = createEdgeServer();
let port: number;
let version = 0;
const cleanup: (() => Promise<void>)[] = [];
beforeAll(async () => {
  port = await listen(edge.server);
});
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((f) => f()));
});
afterAll(() => close(edge.server));

async function upstream(name: string, handler?: Parameters<typeof startUpstream>[1]) {
  const u = await startUpstream(name, handler);
  cleanup.push(() => close(u.server));
  return u;
}
const route = (ports: number[], hosts?: string[], releaseId?: string) => expect(edge.routes.apply(tableOf(++version, ports, hosts, releaseId)).status).toBe('applied');

describe('routing', () => {
  it('sends a host to its route and balances round-robin across replicas', async () => {
    const [a, b] = [await upstream('a'), await upstream('b')];
    route([a.port, b.port], ['web.localhost', 'shop.example.com']);
    const names: string[] = [];
    for (let i = 0; i < 6; i++) names.push(JSON.parse((await get(port, '/', { host: i % 2 ? 'WEB.localhost:8080' : 'shop.example.com' })).body).name);
    expect(names.filter((n) => n === 'a')).toHaveLength(3);
    expect(names.filter((n) => n === 'b')).toHaveLength(3);
    expect(names[0]).not.toBe(names[1]);
  });

  it('answers the 503 page for a host with no route', async () => {
    const a = await upstream('a');
    route([a.port]);
    const res = await get(port, '/', { host: 'other.localhost' });
    expect(res.status).toBe(503);
    expect(res.body).toContain('Nothing is live at other.localhost');
    expect(a.seen).toHaveLength(0);
  });

  it('retries a refused connection once on the next replica', async () => {
    const a = await upstream('a');
    route([await deadPort(), a.port]);
    const replies = await Promise.all([1, 2, 3, 4].map(() => get(port, '/', { host: 'web.localhost' })));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200]);
  });

  it('also retries a refused request that has a body, which is then delivered whole', async () => {
    const a = await upstream('a', (req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => res.end(body));
    });
    route([await deadPort(), a.port]);
    for (let i = 0; i < 2; i++) expect((await get(port, '/', { host: 'web.localhost' }, 'POST', 'hello body')).body).toBe('hello body');
  });

  it('answers 502 with the request id when no replica accepts', async () => {
    route([await deadPort(), await deadPort()]);
    const res = await get(port, '/', { host: 'web.localhost', 'x-request-id': 'rid-502' });
    expect(res.status).toBe(502);
    expect(res.headers['x-request-id']).toBe('rid-502');
    expect(res.body).toContain('rid-502');
  });
});

describe('headers', () => {
  it('adds forwarding headers and a request id, and strips hop-by-hop headers both ways', async () => {
    const a = await upstream('a');
    route([a.port]);
    const res = await get(port, '/p?q=1', { host: 'web.localhost:8080', 'x-forwarded-for': '10.0.0.9', connection: 'keep-alive, x-secret', 'x-secret': 's', te: 'trailers', 'proxy-authorization': 'x' });
    const seen = a.seen[0]!;
    expect(seen.url).toBe('/p?q=1');
    expect(seen.headers.host).toBe('web.localhost:8080');
    expect(seen.headers['x-forwarded-host']).toBe('web.localhost:8080');
    expect(seen.headers['x-forwarded-proto']).toBe('http');
    expect(seen.headers['x-forwarded-for']).toBe('10.0.0.9, 127.0.0.1');
    expect(seen.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen.headers['x-secret']).toBeUndefined();
    expect(seen.headers.te).toBeUndefined();
    expect(seen.headers['proxy-authorization']).toBeUndefined();
    expect(res.headers['x-request-id']).toBe(seen.headers['x-request-id']);
    expect(res.headers['x-upstream']).toBe('a');
    expect(res.headers['x-private']).toBeUndefined();
  });
});

describe('streaming', () => {
  it('delivers the first chunk of a response before the app has finished it', async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const a = await upstream('a', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: first\n\n');
      void released.then(() => res.end('data: last\n\n'));
    });
    route([a.port]);
    const chunks: string[] = [];
    await new Promise<void>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path: '/', headers: { host: 'web.localhost' } }, (res) => {
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          chunks.push(c);
          if (chunks.length === 1) release(); // the app ends only once we hold the first chunk
        });
        res.on('end', resolve).on('error', reject);
      })
        .on('error', reject)
        .end();
    });
    expect(chunks[0]).toBe('data: first\n\n');
    expect(chunks.join('')).toBe('data: first\n\ndata: last\n\n');
  });

  it('streams a request body to the app before the client has finished sending it', async () => {
    let firstChunkSeen!: () => void;
    const seen = new Promise<void>((r) => (firstChunkSeen = r));
    const a = await upstream('a', (req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (c: string) => {
        if (!body) firstChunkSeen();
        body += c;
      });
      req.on('end', () => res.end(body));
    });
    route([a.port]);
    const reply = new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/', method: 'POST', headers: { host: 'web.localhost', 'transfer-encoding': 'chunked' } }, (res) => {
        let t = '';
        res.setEncoding('utf8').on('data', (c: string) => (t += c)).on('end', () => resolve(t));
      });
      req.on('error', reject);
      req.write('part1-');
      void seen.then(() => req.end('part2'));
    });
    expect(await reply).toBe('part1-part2');
  });

  it('aborts the upstream request when the client goes away', async () => {
    let upstreamClosed!: () => void;
    const closed = new Promise<void>((r) => (upstreamClosed = r));
    const a = await upstream('a', (_req, res) => {
      res.writeHead(200).write('started');
      res.on('close', upstreamClosed);
    });
    route([a.port]);
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { host: 'web.localhost' } }, (res) => res.once('data', () => req.destroy()));
    req.on('error', () => undefined).end();
    await closed; // resolves only if the edge closed its upstream request
  });

  it('cuts the client connection when the app dies mid-response', async () => {
    const a = await upstream('a', (_req, res) => {
      res.writeHead(200, { 'content-length': '100' }).write('partial');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    route([a.port]);
    const outcome = await new Promise<string>((resolve) => {
      request({ host: '127.0.0.1', port, path: '/', headers: { host: 'web.localhost' } }, (res) => {
        res.on('data', () => undefined);
        res.on('end', () => resolve('clean end'));
        res.on('error', () => resolve('error'));
        res.on('aborted', () => resolve('error'));
      })
        .on('error', () => resolve('error'))
        .end();
    });
    expect(outcome).toBe('error');
  });
});

describe('metrics', () => {
  it('counts requests per release by status class', async () => {
    const a = await upstream('a', (req, res) => {
      res.statusCode = req.url === '/missing' ? 404 : 200;
      res.end();
    });
    route([a.port], undefined, 'rel_metrics');
    await get(port, '/', { host: 'web.localhost' });
    await get(port, '/missing', { host: 'web.localhost' });
    await new Promise((r) => setTimeout(r, 20)); // 'close' on the edge side follows the client's 'end'
    const counters = [...edge.metrics.lifetime()].find((c) => c.releaseId === 'rel_metrics')!;
    expect(counters).toMatchObject({ requests: 2, environmentId: 'env_1', status: { '2xx': 1, '3xx': 0, '4xx': 1, '5xx': 0 } });
  });
});

it('the fixtures server helper is sane', async () => {
  const s = createServer((_q, r) => r.end('ok'));
  const p = await listen(s);
  expect((await get(p, '/')).body).toBe('ok');
  await close(s);
});
