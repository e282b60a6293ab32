import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEdgeServer } from './server';
import { close, deadPort, listen, tableOf } from './testing/http-fixtures';

/** A raw upgrade server: answers 101 and echoes every byte back upper-cased; `/refuse` gets a 426. */
function upgradeServer(): Server {
  const server = createServer((_req, res) => res.writeHead(426, { 'content-type': 'text/plain' }).end('upgrade required'));
  server.on('upgrade', (req, socket) => {
    if (req.url === '/refuse') return socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 2\r\n\r\nno');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: ${req.headers.upgrade}\r\nConnection: Upgrade\r\nX-Seen-Request-Id: ${req.headers['x-request-id']}\r\n\r\n`);
    socket.on('data', (d: Buffer) => socket.write(d.toString().toUpperCase()));
    socket.on('end', () => socket.end()); // upgraded sockets are half-open by default in node:http
  });
  return server;
}

/** Send a raw upgrade request; resolves with the socket and everything read so far once `until` matches. */
function rawUpgrade(port: number, host: string, path = '/ws'): { socket: Socket; read: (until: RegExp) => Promise<string> } {
  const socket = connect(port, '127.0.0.1');
  let buf = '';
  const waiters: (() => void)[] = [];
  socket.setEncoding('utf8').on('data', (d: string) => {
    buf += d;
    waiters.splice(0).forEach((w) => w());
  });
  socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nX-Request-Id: ws-1\r\n\r\n`);
  const read = (until: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const check = () => (until.test(buf) ? resolve(buf) : waiters.push(check));
      socket.once('error', reject);
      check();
    });
  return { socket, read };
}

const edge = createEdgeServer();
const app = upgradeServer();
let port: number;
beforeAll(async () => {
  port = await listen(edge.server);
  edge.routes.apply(tableOf(1, [await deadPort(), await listen(app)], ['ws.localhost']));
});
afterAll(async () => {
  await close(app);
  await close(edge.server);
});

describe('WebSocket upgrade', () => {
  it('passes through to the app (retrying a refused replica) and pipes both ways', async () => {
    for (let i = 0; i < 2; i++) {
      const { socket, read } = rawUpgrade(port, 'ws.localhost:8080');
      const head = await read(/\r\n\r\n/);
      expect(head).toMatch(/^HTTP\/1.1 101 /);
      expect(head).toContain('X-Seen-Request-Id: ws-1');
      socket.write('hello');
      expect(await read(/HELLO/)).toContain('HELLO');
      socket.write('again');
      expect(await read(/AGAIN/)).toContain('AGAIN');
      socket.destroy();
    }
  });

  it('relays an app that declines the upgrade', async () => {
    const { socket, read } = rawUpgrade(port, 'ws.localhost', '/refuse');
    const res = await read(/no$/);
    expect(res).toMatch(/^HTTP\/1.1 403 /);
    socket.destroy();
  });

  it('answers 503 for a host with no route', async () => {
    const { socket, read } = rawUpgrade(port, 'nope.localhost');
    expect(await read(/<\/html>/)).toMatch(/^HTTP\/1.1 503 [\s\S]*Nothing is live at nope.localhost/);
    socket.destroy();
  });
});
