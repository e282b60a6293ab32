import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import type { WireFormat } from '@slipway/contracts';
import { GatewayEngine, GatewaySideEndpoints, sendGatewayError } from '@slipway/gateway';

type Route = { method: 'GET' | 'POST'; format: WireFormat; serve: (req: IncomingMessage, res: ServerResponse, body: Buffer) => Promise<void> };

/** A too-large upload is drained (so the client reads our 413, not a reset) for at most this long. */
const DRAIN_MS = 2_000;

/**
 * The model gateway's wire endpoints, `/v1/…` as the Anthropic and OpenAI SDKs call them,
 * served straight from node:http (bootstrap.ts puts `handle` in front of Fastify): no framework
 * hooks, cookie parsing or routing per call, the body stays raw bytes up to
 * GATEWAY_MAX_BODY_BYTES, and the engine writes to the node response itself, so streams are
 * never buffered. Everything else goes on to Fastify and Nest. The same routes, and only
 * them, answer on the gateway socket (gateway-socket.server.ts) that project relays reach.
 */
@Injectable()
export class GatewayRoutes {
  private readonly logger = new Logger('gateway');
  private readonly routes: ReadonlyMap<string, Route>;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    engine: GatewayEngine,
    side: GatewaySideEndpoints,
  ) {
    this.routes = new Map<string, Route>([
      ['/v1/messages', { method: 'POST', format: 'anthropic', serve: (req, res, body) => engine.messages('anthropic', req.headers, body, res) }],
      ['/v1/chat/completions', { method: 'POST', format: 'openai', serve: (req, res, body) => engine.messages('openai', req.headers, body, res) }],
      ['/v1/messages/count_tokens', { method: 'POST', format: 'anthropic', serve: (req, res, body) => side.countTokens(req.headers, body, res) }],
      ['/v1/models', { method: 'GET', format: 'openai', serve: (req, res) => side.models(req.headers, res) }],
    ]);
  }

  /** `METHOD /path` of every endpoint served here (the socket's 404 names them). */
  get served(): string[] {
    return [...this.routes].map(([path, route]) => `${route.method} ${path}`);
  }

  /** Serves a gateway request and returns true, or returns false (Fastify handles it on TCP; the socket answers 404). */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const route = this.routes.get(query === -1 ? url : url.slice(0, query));
    if (!route || route.method !== req.method) return false;
    const served = route.method === 'GET' ? route.serve(req, res, Buffer.alloc(0)) : this.readBody(req, res, route.format).then((body) => body && route.serve(req, res, body));
    served.catch((err: unknown) => this.failed(err, res, route.format));
    return true;
  }

  /** Last line of defence: an unexpected error answers this request with a 500 and never takes the process down. */
  private failed(err: unknown, res: ServerResponse, format: WireFormat): void {
    this.logger.error(`gateway request failed: ${err instanceof Error ? err.stack : String(err)}`);
    if (!res.headersSent) sendGatewayError(res, format, { status: 500, message: 'The gateway failed on its side.' }, randomUUID());
    else res.destroy();
  }

  private readBody(req: IncomingMessage, res: ServerResponse, format: WireFormat): Promise<Buffer | null> {
    const limit = this.config.GATEWAY_MAX_BODY_BYTES;
    if (Number(req.headers['content-length']) > limit) return Promise.resolve(this.tooLarge(req, res, format));
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const onData = (chunk: Buffer) => {
        size += chunk.length;
        if (size <= limit) return void chunks.push(chunk);
        req.removeListener('data', onData);
        resolve(this.tooLarge(req, res, format));
      };
      req.on('data', onData);
      req.once('end', () => size <= limit && resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
      req.once('error', () => resolve(null));
    });
  }

  /** 413 in the SDK's error shape; the rest of the upload is drained briefly, then the connection closes. */
  private tooLarge(req: IncomingMessage, res: ServerResponse, format: WireFormat): null {
    res.setHeader('connection', 'close');
    sendGatewayError(res, format, { status: 413, message: `The request body is larger than ${Math.round(this.config.GATEWAY_MAX_BODY_BYTES / 1024 / 1024)} MB.` }, randomUUID());
    req.resume();
    setTimeout(() => req.destroy(), DRAIN_MS).unref();
    return null;
  }
}
