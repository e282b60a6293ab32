import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import type { WireFormat } from '@slipway/contracts';
import { GatewayEngine, GatewaySideEndpoints, sendGatewayError, type GatewayCaller } from '@slipway/gateway';
import { BodyBudget } from './body-budget';

type ErrorAnswer = Parameters<typeof sendGatewayError>[2];
type Route =
  | { method: 'GET'; format: WireFormat; serve: (req: IncomingMessage, res: ServerResponse) => Promise<void> }
  | { method: 'POST'; format: WireFormat; serve: (req: IncomingMessage, res: ServerResponse, body: Buffer, caller: GatewayCaller) => Promise<void> };

/**
 * A refused upload is read and dropped for at most this long (a lingering close, as nginx does):
 * closing a socket with unread bytes sends a reset, which can destroy our answer before the
 * client has read it, so an SDK would see a broken connection instead of the 401.
 */
const DRAIN_MS = 5_000;

/**
 * The model gateway's wire endpoints, `/v1/…` as the Anthropic and OpenAI SDKs call them,
 * served straight from node:http (bootstrap.ts puts `handle` in front of Fastify): no framework
 * hooks, cookie parsing or routing per call, the body stays raw bytes up to
 * GATEWAY_MAX_BODY_BYTES, and the engine writes to the node response itself, so streams are
 * never buffered. Everything else goes on to Fastify and Nest. The same routes, and only
 * them, answer on the gateway socket (gateway-socket.server.ts) that project relays reach.
 *
 * The key is judged from the headers before a byte of the body is read: a caller without a valid
 * key cannot make the api buffer 32 MB. Then the body is read within the per-request limit and
 * the process-wide budget of bytes in flight (GATEWAY_BODY_BYTES_IN_FLIGHT).
 */
@Injectable()
export class GatewayRoutes {
  private readonly logger = new Logger('gateway');
  private readonly routes: ReadonlyMap<string, Route>;
  private readonly budget: BodyBudget;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly engine: GatewayEngine,
    side: GatewaySideEndpoints,
  ) {
    this.budget = new BodyBudget(Math.max(config.GATEWAY_BODY_BYTES_IN_FLIGHT, config.GATEWAY_MAX_BODY_BYTES));
    this.routes = new Map<string, Route>([
      ['/v1/messages', { method: 'POST', format: 'anthropic', serve: (req, res, body, caller) => engine.messages('anthropic', req.headers, body, res, caller) }],
      ['/v1/chat/completions', { method: 'POST', format: 'openai', serve: (req, res, body, caller) => engine.messages('openai', req.headers, body, res, caller) }],
      ['/v1/messages/count_tokens', { method: 'POST', format: 'anthropic', serve: (req, res, body, caller) => side.countTokens(req.headers, body, res, caller) }],
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
    const served = route.method === 'GET' ? route.serve(req, res) : this.admitThenServe(req, res, route);
    served.catch((err: unknown) => this.failed(err, res, route.format));
    return true;
  }

  /** Last line of defence: an unexpected error answers this request with a 500 and never takes the process down. */
  private failed(err: unknown, res: ServerResponse, format: WireFormat): void {
    this.logger.error(`gateway request failed: ${err instanceof Error ? err.stack : String(err)}`);
    if (!res.headersSent) sendGatewayError(res, format, { status: 500, message: 'The gateway failed on its side.' }, randomUUID());
    else res.destroy();
  }

  /** Key first (headers only), then the body, then the engine; the body's bytes are given back to the budget when the call is over. */
  private async admitThenServe(req: IncomingMessage, res: ServerResponse, route: Extract<Route, { method: 'POST' }>): Promise<void> {
    const admitted = this.engine.admit(req.headers, 'messages');
    const { caller, refusal } = admitted instanceof Promise ? await admitted : admitted;
    if (refusal) {
      this.refuseUnread(req, res, route.format, refusal);
      return;
    }
    const body = await this.readBody(req, res, route.format);
    if (!body) return;
    try {
      await route.serve(req, res, body.bytes, caller);
    } finally {
      this.budget.give(body.held);
    }
  }

  private readBody(req: IncomingMessage, res: ServerResponse, format: WireFormat): Promise<{ bytes: Buffer; held: number } | null> {
    const limit = this.config.GATEWAY_MAX_BODY_BYTES;
    const declared = Number(req.headers['content-length']);
    if (declared > limit) return Promise.resolve(this.refuseUnread(req, res, format, this.tooLarge()));
    if (declared > 0 && !this.budget.fits(declared)) return Promise.resolve(this.refuseUnread(req, res, format, BUSY));
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let settled = false;
      const stop = (answer: ErrorAnswer) => {
        settled = true;
        req.removeListener('data', onData);
        this.budget.give(size);
        resolve(this.refuseUnread(req, res, format, answer));
      };
      const onData = (chunk: Buffer) => {
        if (size + chunk.length > limit) return stop(this.tooLarge());
        if (!this.budget.take(chunk.length)) return stop(BUSY);
        size += chunk.length;
        chunks.push(chunk);
      };
      req.on('data', onData);
      req.once('end', () => {
        if (settled) return;
        settled = true;
        resolve({ bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size), held: size });
      });
      req.once('error', () => {
        if (settled) return;
        settled = true;
        this.budget.give(size);
        resolve(null);
      });
    });
  }

  private tooLarge(): ErrorAnswer {
    return { status: 413, message: `The request body is larger than ${Math.round(this.config.GATEWAY_MAX_BODY_BYTES / 1024 / 1024)} MB.` };
  }

  /**
   * Answers in the SDK's error shape without keeping the rest of the body: what the client goes
   * on sending is read and dropped (no memory held), so it reads our answer rather than a reset
   * and the connection stays usable, up to GATEWAY_MAX_BODY_BYTES or for DRAIN_MS; past either
   * the connection goes. No `connection: close`: node would close the socket as soon as the
   * answer is written, with the body still arriving, which is the reset this avoids.
   */
  private refuseUnread(req: IncomingMessage, res: ServerResponse, format: WireFormat, answer: ErrorAnswer): null {
    sendGatewayError(res, format, answer, randomUUID());
    if (req.complete) return null;
    let seen = 0;
    const close = () => {
      clearTimeout(timer);
      req.removeListener('data', onData);
      if (res.writableFinished) req.destroy();
      else res.once('finish', () => req.destroy());
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > this.config.GATEWAY_MAX_BODY_BYTES) close();
    };
    const timer = setTimeout(close, DRAIN_MS).unref();
    req.on('data', onData);
    req.once('end', () => clearTimeout(timer));
    return null;
  }
}

/** The process holds as many request bytes as GATEWAY_BODY_BYTES_IN_FLIGHT allows: try again in a moment. */
const BUSY: ErrorAnswer = { status: 503, message: 'The gateway is receiving too much request data right now; retry shortly.', retryAfterSeconds: 1 };
