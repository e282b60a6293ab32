import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';

/**
 * What a call needs of an abort signal. A DOM `AbortSignal` fits; so does the gateway's cheaper
 * per-request signal (Node builds a whole EventTarget for every AbortController).
 */
export interface CancelSignal {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** One call to a model provider. Bodies are bytes or text: no WHATWG streams on the hot path. */
export interface UpstreamRequest {
  /** `https://api.anthropic.com` (no path). */
  origin: string;
  path: string;
  /** Sent as given, after `content-length` is set on this object (build one per call). */
  headers: Record<string, string>;
  body: string | Buffer;
  signal?: CancelSignal;
  connectTimeoutMs: number;
  /**
   * With `idleTimeoutMs` (a stream): until the response head arrives. Without it (a complete
   * answer): until the whole body has arrived, one deadline for the exchange.
   */
  timeoutMs: number;
  /** Streams: the longest silence between body chunks once the head is in. */
  idleTimeoutMs?: number;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** A node Readable of Buffers; consume it or call `body.destroy()`. */
  body: Readable;
  /** Pause the idle timeout while the body is paused for a slow client: silence then is ours, not the provider's. */
  idle: { suspend(): void; resume(): void };
}

/** Why a call failed, as the gateway's failure categories name it. */
export type TransportFailure = 'timeout' | 'connection' | 'aborted';

export class UpstreamError extends Error {
  constructor(
    readonly failure: TransportFailure,
    message: string,
  ) {
    super(message);
  }
}

interface Target {
  transport: typeof http | typeof https;
  agent: http.Agent;
  hostname: string;
  port: number;
}

/**
 * Keep-alive HTTP client for providers on node:http(s). Measured against undici's Agent here:
 * one extra hop through node:http added ≈0.25 ms at concurrency 1, through undici ≈1.3 ms
 * (docs/benchmarks.md), so the hot path uses node:http with our own three timeouts.
 */
export class UpstreamClient {
  private readonly targets = new Map<string, Target>();

  constructor(private readonly connectionsPerOrigin = 512) {}

  request(req: UpstreamRequest): Promise<UpstreamResponse> {
    if (req.signal?.aborted) return Promise.reject(new UpstreamError('aborted', 'The client went away.'));
    const target = this.targetOf(req.origin);
    req.headers['content-length'] = String(Buffer.byteLength(req.body));
    return new Promise((resolve, reject) => {
      const outgoing = target.transport.request({
        hostname: target.hostname,
        port: target.port,
        path: req.path,
        method: 'POST',
        headers: req.headers,
        agent: target.agent,
      });
      const signal = req.signal;
      const whole = req.idleTimeoutMs === undefined;
      let response: IncomingMessage | undefined;
      let connectTimer: NodeJS.Timeout | undefined;
      // After the head the body is what is still reading: it fails first, with the reason.
      const fail = (failure: TransportFailure, message: string) => {
        const err = new UpstreamError(failure, message);
        response?.destroy(err);
        outgoing.destroy(err);
      };
      const timer = setTimeout(
        () => fail('timeout', response ? `no complete answer within ${req.timeoutMs} ms` : `no response within ${req.timeoutMs} ms`),
        req.timeoutMs,
      );
      const onAbort = () => fail('aborted', 'The client went away.');
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => {
        clearTimeout(timer);
        clearTimeout(connectTimer);
        signal?.removeEventListener('abort', onAbort);
      };

      // Each of these comes once per request; `on` spares the once-wrappers (two allocations each).
      outgoing.on('socket', (socket) => {
        if (!socket.connecting) return;
        connectTimer = setTimeout(() => fail('timeout', `could not connect within ${req.connectTimeoutMs} ms`), req.connectTimeoutMs);
        socket.once('connect', () => clearTimeout(connectTimer));
      });
      outgoing.on('response', (res: IncomingMessage) => {
        response = res;
        // A complete answer keeps the one deadline until its body is in; a stream swaps it for the idle watch.
        if (whole) {
          res.on('close', done);
          return resolve({ status: res.statusCode ?? 502, headers: res.headers, body: res, idle: NO_IDLE_WATCH });
        }
        clearTimeout(timer);
        const idle = watchBody(res, req.idleTimeoutMs!, done);
        resolve({ status: res.statusCode ?? 502, headers: res.headers, body: res, idle });
      });
      outgoing.on('error', (err) => {
        done();
        reject(toUpstreamError(err));
      });
      outgoing.end(req.body);
    });
  }

  async close(): Promise<void> {
    for (const target of this.targets.values()) target.agent.destroy();
    this.targets.clear();
  }

  private targetOf(origin: string): Target {
    let target = this.targets.get(origin);
    if (!target) {
      const url = new URL(origin);
      const secure = url.protocol === 'https:';
      const options = { keepAlive: true, maxSockets: this.connectionsPerOrigin, maxFreeSockets: 64 };
      target = {
        transport: secure ? https : http,
        agent: secure ? new https.Agent(options) : new http.Agent(options),
        hostname: url.hostname,
        port: Number(url.port) || (secure ? 443 : 80),
      };
      this.targets.set(origin, target);
    }
    return target;
  }
}

const NO_IDLE_WATCH: UpstreamResponse['idle'] = { suspend: () => {}, resume: () => {} };

/**
 * Fails the body with a timeout after `idleMs` of silence on its socket (no listener on the body
 * itself, which would start it flowing before the caller reads it), and undoes that when it ends
 * so the keep-alive socket goes back to the pool clean.
 */
function watchBody(res: IncomingMessage, idleMs: number, done: () => void): UpstreamResponse['idle'] {
  const socket = res.socket;
  const onIdle = () => res.destroy(new UpstreamError('timeout', `no data for ${idleMs} ms`));
  socket.setTimeout(idleMs);
  socket.on('timeout', onIdle);
  let ended = false;
  res.once('close', () => {
    ended = true;
    socket.setTimeout(0);
    socket.removeListener('timeout', onIdle);
    done();
  });
  return {
    suspend: () => void (ended || socket.setTimeout(0)),
    resume: () => void (ended || socket.setTimeout(idleMs)),
  };
}

/** Maps a socket or HTTP error (thrown by request() or emitted by a body) to a failure category. */
export function toUpstreamError(err: unknown): UpstreamError {
  if (err instanceof UpstreamError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: string } | null)?.code;
  if (code === 'ETIMEDOUT') return new UpstreamError('timeout', message);
  if (code === 'ABORT_ERR' || (err instanceof Error && err.name === 'AbortError')) return new UpstreamError('aborted', message);
  return new UpstreamError('connection', message);
}
