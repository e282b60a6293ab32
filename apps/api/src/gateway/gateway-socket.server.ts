import { randomUUID } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, statSync, unlinkSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { CONFIG, ConfigError, gatewaySocketLocation, type Config } from '@slipway/config';
import { GatewayRoutes } from './gateway.routes';

/** sun_path holds 108 bytes with its terminating NUL: a longer path cannot be bound. */
const MAX_SOCKET_PATH_BYTES = 107;
/** The relays' user (uid 10001) is neither owner nor group: it needs o+w on the socket and o+x on its folder. */
const SOCKET_MODE = 0o666;
/** On shutdown, streams still running after this are cut, so the api never hangs on a relay connection. */
const CLOSE_GRACE_MS = 5_000;

/**
 * The third way into the api, next to TCP (bootstrap.ts) — the model gateway on a Unix socket
 * (GATEWAY_SOCKET_PATH) for the relay containers on project networks (docs/gateway.md, "How
 * apps reach the gateway"). Only GatewayRoutes answers here: REST, git, /metrics, /internal and
 * health checks are 404, so an app that reaches its relay reaches the gateway and nothing else,
 * and its key is checked exactly as on TCP. It is a node:http server of its own, so the TCP
 * path does not change at all. main.ts calls `listen()` after the TCP listener.
 */
@Injectable()
export class GatewaySocketServer implements OnModuleDestroy {
  private server?: Server;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly routes: GatewayRoutes,
  ) {}

  /**
   * Listens on `path` (default GATEWAY_SOCKET_PATH against the working directory): creates its
   * folder, replaces a stale socket, refuses a path another process serves or that is not a
   * socket, and makes it connectable for the relays. Resolves with the absolute path.
   */
  async listen(path = gatewaySocketLocation(this.config).path): Promise<string> {
    const { folder } = gatewaySocketLocation({ GATEWAY_SOCKET_PATH: path });
    if (Buffer.byteLength(path) > MAX_SOCKET_PATH_BYTES) {
      throw socketProblem(
        path,
        `is ${Buffer.byteLength(path)} bytes long; a Unix socket path has at most ${MAX_SOCKET_PATH_BYTES}. Choose a shorter path.`,
      );
    }
    prepareFolder(folder, path);
    await removeStaleSocket(path);
    const server = createServer(gatewayOnly(this.routes));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    });
    chmodSync(path, SOCKET_MODE);
    this.server = server;
    return path;
  }

  /** Stops taking connections and lets running answers finish (for CLOSE_GRACE_MS); the socket file goes with the listener. */
  async onModuleDestroy(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS).unref();
    });
  }
}

/** The socket's request handler: the gateway's routes, and a 404 naming them for anything else. */
export function gatewayOnly(routes: Pick<GatewayRoutes, 'handle' | 'served'>): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    if (routes.handle(req, res)) return;
    req.resume(); // read (and drop) what the client sends, so it gets this answer rather than a reset
    const body = JSON.stringify({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      code: 'ROUTE_NOT_FOUND',
      detail: `No endpoint ${req.method} ${(req.url ?? '').split('?')[0]} here: apps reach only the model gateway (${routes.served.join(', ')}).`,
    });
    res.writeHead(404, {
      'content-type': 'application/problem+json',
      'content-length': Buffer.byteLength(body),
      'x-request-id': randomUUID(),
    });
    res.end(body);
  };
}

function prepareFolder(folder: string, path: string): void {
  try {
    mkdirSync(folder, { recursive: true, mode: 0o755 });
    const mode = statSync(folder).mode & 0o7777;
    if ((mode & 0o001) === 0) chmodSync(folder, mode | 0o001);
  } catch (err) {
    throw socketProblem(
      path,
      `cannot be prepared (${(err as NodeJS.ErrnoException).code ?? String(err)} on ${folder}): the api creates the folder and makes it searchable for the relays (uid 10001).`,
    );
  }
}

/** A socket file left by an api that died is replaced; a live one, or a file that is not a socket, is not ours to remove. */
async function removeStaleSocket(path: string): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = lstatSync(path).isSocket();
  } catch {
    return; // nothing there
  }
  if (!isSocket) throw socketProblem(path, 'exists and is not a socket. Move it away or choose another path.');
  const live = await new Promise<boolean>((resolve) => {
    const probe = connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
  if (live) throw socketProblem(path, 'is served by another running api. Stop it, or give this one its own GATEWAY_SOCKET_PATH.');
  unlinkSync(path);
}

const socketProblem = (path: string, what: string): ConfigError => new ConfigError([`GATEWAY_SOCKET_PATH: ${path} ${what}`]);
