import { request, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { writeRawPage } from './pages';
import { rawResponseHead, upstreamRequestHeaders } from './proxy-headers';
import { upstreamAt } from './route-table';
import type { ProxyTarget } from './http-proxy';

const FRAMING = new Set(['transfer-encoding', 'content-length', 'connection', 'keep-alive']);

/**
 * Pass an upgrade request (WebSocket) to the route's next replica on a fresh connection and,
 * once the app answers 101, splice the two sockets together both ways. A refused connection is
 * retried once on the next replica; an app that declines the upgrade has its answer relayed.
 * Returns nothing; `onOpen` receives the client socket once it is spliced (for shutdown).
 */
export function proxyUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, target: ProxyTarget, onOpen?: (socket: Duplex) => void): void {
  const { live, requestId } = target;
  const first = target.routes.nextIndex(live);
  const headers = upstreamRequestHeaders(req, requestId, true);
  let spliced = false;

  const attempt = (n: number): void => {
    const upstream = upstreamAt(live, first, n);
    const upReq = request({ host: upstream.host, port: upstream.port, method: req.method, path: req.url, headers, agent: false });
    const abort = () => {
      if (!spliced) upReq.destroy();
    };
    socket.once('close', abort);

    upReq.on('upgrade', (upRes, upSocket, upHead) => {
      spliced = true;
      socket.off('close', abort);
      upSocket.on('error', () => socket.destroy());
      socket.on('error', () => upSocket.destroy());
      upSocket.on('close', () => socket.destroy());
      socket.on('close', () => upSocket.destroy());
      socket.write(rawResponseHead(upRes, requestId));
      if (upHead.length) socket.write(upHead);
      if (head.length) upSocket.write(head);
      upSocket.pipe(socket);
      socket.pipe(upSocket);
      onOpen?.(socket);
    });

    // The app answered without upgrading (e.g. 400 or 404): relay it, body close-delimited.
    upReq.on('response', (upRes) => {
      socket.off('close', abort);
      const head = rawResponseHead(upRes, requestId, FRAMING).replace(/\r\n\r\n$/, '\r\nconnection: close\r\n\r\n');
      socket.write(head);
      upRes.pipe(socket);
      upRes.on('error', () => socket.destroy());
    });

    upReq.on('error', (err: NodeJS.ErrnoException) => {
      socket.off('close', abort);
      if (spliced || socket.destroyed) return;
      if (n === 0 && err.code === 'ECONNREFUSED') return attempt(1);
      writeRawPage(socket, 502, target.host, requestId);
    });
    upReq.end();
  };
  attempt(0);
}
