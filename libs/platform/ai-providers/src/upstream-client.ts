import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { Readable } from 'node:stream';
import { endpointOf, refusedError, type UpstreamAddressPolicy } from './upstream-address-policy';
import { UpstreamError, toUpstreamError, type TransportFailure } from './upstream-error';

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
  /**
   * An upstream the operator configured (the built-in mock, GATEWAY_MOCK_URL): exempt from the
   * address policy. Never set for a provider an organization added.
   */
  trusted?: boolean;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** A node Readable of Buffers; consume it or call `body.destroy()`. */
  body: Readable;
  /** Pause the idle timeout while the body is paused for a slow client: silence then is ours, not the provider's. */
  idle: { suspend(): void; resume(): void };
}

interface Target {
  transport: typeof http | typeof https;
  agent: http.Agent;
  hostname: string;
  port: number;
  /** Set when the origin is an IP literal the policy forbids (decided once: a literal never changes). */
  refused: UpstreamError | null;
}

export interface UpstreamClientOptions {
  /** Where calls may go; `trusted` requests skip it. */
  policy: UpstreamAddressPolicy;
  /** Sockets per origin (GATEWAY_UPSTREAM_CONNECTIONS); beyond them calls wait in the agent's queue. */
  connectionsPerOrigin?: number;
}

/**
 * Keep-alive HTTP client for providers on node:http(s). Measured against undici's Agent here:
 * one extra hop through node:http added ≈0.25 ms at concurrency 1, through undici ≈1.3 ms
 * (docs/benchmarks.md), so the hot path uses node:http with our own three timeouts.
 *
 * Every target is guarded by the address policy: an IP literal once, when its target is made;
 * a host name on every new connection, through the agent's `lookup` (keep-alive connections
 * are reused, so this costs nothing per request). Redirects are never followed (node:http does
 * not): a 3xx is handed to the caller like any other answer.
 */
export class UpstreamClient {
  private readonly targets = new Map<string, Target>();
  private readonly trustedTargets = new Map<string, Target>();
  private readonly policy: UpstreamAddressPolicy;
  readonly connectionsPerOrigin: number;

  constructor(options: UpstreamClientOptions) {
    this.policy = options.policy;
    this.connectionsPerOrigin = options.connectionsPerOrigin ?? 512;
  }

  request(req: UpstreamRequest): Promise<UpstreamResponse> {
    if (req.signal?.aborted) return Promise.reject(new UpstreamError('aborted', 'The client went away.'));
    const target = this.targetOf(req.origin, req.trusted === true);
    if (target.refused) return Promise.reject(target.refused);
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
    for (const targets of [this.targets, this.trustedTargets]) {
      for (const target of targets.values()) target.agent.destroy();
      targets.clear();
    }
  }

  private targetOf(origin: string, trusted: boolean): Target {
    const targets = trusted ? this.trustedTargets : this.targets;
    let target = targets.get(origin);
    if (!target) {
      const url = new URL(origin);
      const secure = url.protocol === 'https:';
      const { host, port } = endpointOf(url);
      const literal = isIP(host) !== 0;
      const refusal = !trusted && literal ? this.policy.refusalOf(host, port) : null;
      const options: http.AgentOptions = { keepAlive: true, maxSockets: this.connectionsPerOrigin, maxFreeSockets: 64 };
      // The agent passes its options to net.connect: every new connection to a name is resolved and judged here.
      if (!trusted && !literal) options.lookup = this.policy.lookupFor(port);
      target = {
        transport: secure ? https : http,
        agent: secure ? new https.Agent(options) : new http.Agent(options),
        hostname: host,
        port,
        refused: refusal ? refusedError(refusal) : null,
      };
      targets.set(origin, target);
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

