import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { holdEnd } from './hold-end';

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

/** Starts a server whose handler ends its answer at once and releases it when `gate` resolves. */
async function serve(gate: Promise<void>): Promise<number> {
  server = createServer((_req, res) => {
    const release = holdEnd(res);
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('answer');
    void gate.then(release);
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return (server.address() as AddressInfo).port;
}

describe('holdEnd', () => {
  it("keeps the answer's end from the client until released, then sends it whole once", async () => {
    let release!: () => void;
    const port = await serve(new Promise<void>((r) => (release = r)));
    let received = '';
    let ended = false;
    const answer = new Promise<number>((resolve) =>
      request({ host: '127.0.0.1', port, path: '/' }, (res) => {
        res.setEncoding('utf8').on('data', (c: string) => (received += c));
        res.on('end', () => ((ended = true), resolve(res.statusCode ?? 0)));
      }).end(),
    );
    await new Promise((r) => setTimeout(r, 100));
    expect(ended).toBe(false);
    expect(received).toBe('');
    release();
    expect(await answer).toBe(200);
    expect(received).toBe('answer');
  });
});
