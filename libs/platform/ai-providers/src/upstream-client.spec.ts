import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamAddressPolicy } from './upstream-address-policy';
import { UpstreamClient } from './upstream-client';
import { UpstreamError } from './upstream-error';

/** A local server standing in for a provider: answers, stalls, or never answers, by path. */
let server: Server;
let origin: string;
// The stand-in listens on loopback, which the policy refuses unless the operator allows it.
const client = new UpstreamClient({ policy: new UpstreamAddressPolicy({ allow: ['127.0.0.1'] }) });
const call = (path: string, over: Partial<Parameters<UpstreamClient['request']>[0]> = {}) =>
  client.request({ origin, path, headers: { 'content-type': 'application/json' }, body: '{"a":1}', connectTimeoutMs: 1000, timeoutMs: 300, idleTimeoutMs: 200, ...over });
const read = async (body: NodeJS.ReadableStream) => {
  let text = '';
  for await (const chunk of body) text += chunk.toString();
  return text;
};

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.url === '/echo') return res.end(JSON.stringify({ got: JSON.parse(body), length: req.headers['content-length'] }));
      if (req.url === '/stall') {
        res.writeHead(200);
        res.write('data: first\n\n');
        return; // then silence
      }
      // '/never': no answer at all
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await client.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('UpstreamClient', () => {
  it('posts the body with its length and reuses the connection', async () => {
    const first = await call('/echo');
    expect(first.status).toBe(200);
    expect(JSON.parse(await read(first.body))).toEqual({ got: { a: 1 }, length: '7' });
    const second = await call('/echo');
    expect(await read(second.body)).toContain('"got"');
  });

  it('times out waiting for the response head', async () => {
    const err = await call('/never').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ failure: 'timeout', message: expect.stringMatching(/no response within 300 ms/) });
  });

  it('fails the body after the idle timeout, keeping what came before', async () => {
    const res = await call('/stall');
    const chunks: string[] = [];
    const error = await new Promise<unknown>((resolve) => {
      res.body.on('data', (c: Buffer) => chunks.push(c.toString()));
      res.body.on('error', resolve);
    });
    expect(chunks.join('')).toBe('data: first\n\n');
    expect(error).toMatchObject({ failure: 'timeout', message: 'no data for 200 ms' });
  });

  it('without an idle timeout, bounds the whole exchange: head and body', async () => {
    const res = await call('/stall', { idleTimeoutMs: undefined, timeoutMs: 250 });
    const started = Date.now();
    const error = await read(res.body).catch((e: unknown) => e);
    expect(error).toMatchObject({ failure: 'timeout', message: 'no complete answer within 250 ms' });
    expect(Date.now() - started).toBeLessThan(1000);
    // The connection went with the failed body; the next call gets a fresh one and works.
    expect(JSON.parse(await read((await call('/echo', { idleTimeoutMs: undefined })).body))).toMatchObject({ got: { a: 1 } });
  });

  it('reports an aborted call as aborted and a refused connection as a connection failure', async () => {
    const controller = new AbortController();
    const pending = call('/never', { signal: controller.signal, timeoutMs: 5000 });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ failure: 'aborted' });
    await expect(call('/echo', { origin: 'http://127.0.0.1:9' })).rejects.toMatchObject({ failure: 'connection' });
  });
});
