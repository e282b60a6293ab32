import type { Readable } from 'node:stream';
import { Agent, errors } from 'undici';

/** One call to a model provider. Bodies are bytes or text: no WHATWG streams on the hot path. */
export interface UpstreamRequest {
  /** `https://api.anthropic.com` (no path). */
  origin: string;
  path: string;
  headers: Record<string, string>;
  body: string | Buffer;
  signal?: AbortSignal;
  connectTimeoutMs: number;
  /** Until the response head arrives. */
  headersTimeoutMs: number;
  /** Longest silence between body chunks. */
  bodyTimeoutMs: number;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** A node Readable of Buffers; consume it or call `body.destroy()`. */
  body: Readable;
}

/** Why a call failed before a response head, as the gateway's failure categories name it. */
export type TransportFailure = 'timeout' | 'connection' | 'aborted';

export class UpstreamError extends Error {
  constructor(
    readonly failure: TransportFailure,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Pooled keep-alive HTTP client for providers (undici). One Agent per connect timeout, since
 * undici sets that per connection pool rather than per request.
 */
export class UpstreamClient {
  private readonly agents = new Map<number, Agent>();

  constructor(private readonly connectionsPerOrigin = 512) {}

  async request(req: UpstreamRequest): Promise<UpstreamResponse> {
    try {
      const res = await this.agentFor(req.connectTimeoutMs).request({
        origin: req.origin,
        path: req.path,
        method: 'POST',
        headers: req.headers,
        body: req.body,
        signal: req.signal,
        headersTimeout: req.headersTimeoutMs,
        bodyTimeout: req.bodyTimeoutMs,
      });
      return { status: res.statusCode, headers: res.headers, body: res.body };
    } catch (err) {
      throw toUpstreamError(err);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.agents.values()].map((a) => a.close()));
    this.agents.clear();
  }

  private agentFor(connectTimeoutMs: number): Agent {
    let agent = this.agents.get(connectTimeoutMs);
    if (!agent) {
      agent = new Agent({ connections: this.connectionsPerOrigin, connect: { timeout: connectTimeoutMs }, keepAliveTimeout: 30_000, pipelining: 1 });
      this.agents.set(connectTimeoutMs, agent);
    }
    return agent;
  }
}

/** Maps undici's errors (thrown by request() or emitted by a body stream) to a failure category. */
export function toUpstreamError(err: unknown): UpstreamError {
  if (err instanceof UpstreamError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof errors.HeadersTimeoutError || err instanceof errors.BodyTimeoutError || err instanceof errors.ConnectTimeoutError) {
    return new UpstreamError('timeout', message);
  }
  if (err instanceof errors.RequestAbortedError || (err instanceof Error && err.name === 'AbortError')) return new UpstreamError('aborted', message);
  return new UpstreamError('connection', message);
}
