import { Agent, request } from 'node:http';
import type { DrillSample } from './drill-report';

export interface DrillLoadOptions {
  /** This api over loopback, e.g. `http://127.0.0.1:4000`. */
  baseUrl: string;
  /** The environment's gateway key: the load is what the environment's apps would send. */
  token: string;
  alias: string;
  /** Sent as `x-slipway-feature`, so the drill's usage events can be told apart (and attributed). */
  feature: string;
  /** Requests in flight at most. */
  concurrency: number;
  /** No request starts after this many ms since `t0`. */
  durationMs: number;
  /** No more than this many requests in all. */
  maxRequests: number;
  /** `performance.now()` when the fault started: sample times are relative to it. */
  t0: number;
  /** Stops the load, in-flight requests included (api shutdown). */
  signal: AbortSignal;
  requestTimeoutMs: number;
}

const PROMPT = 'Failover drill: reply with one word.';

/**
 * A closed loop of `concurrency` workers sending small non-streamed Anthropic-format requests to
 * the gateway's own /v1/messages over loopback HTTP (node:http, one keep-alive socket per
 * worker). Each worker is paced so the whole drill stays under `maxRequests`: the load is
 * spread over the full duration instead of spent in its first seconds.
 */
export async function runDrillLoad(opts: DrillLoadOptions): Promise<DrillSample[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const url = new URL('/v1/messages', opts.baseUrl);
  const body = Buffer.from(JSON.stringify({ model: opts.alias, max_tokens: 16, messages: [{ role: 'user', content: PROMPT }] }));
  const headers = {
    'content-type': 'application/json',
    'content-length': String(body.length),
    'anthropic-version': '2023-06-01',
    'x-api-key': opts.token,
    'x-slipway-feature': opts.feature,
  };
  const minIntervalMs = (opts.durationMs * opts.concurrency) / opts.maxRequests;
  const sinceStart = () => performance.now() - opts.t0;
  const samples: DrillSample[] = [];
  let started = 0;

  const worker = async (): Promise<void> => {
    while (!opts.signal.aborted && started < opts.maxRequests && sinceStart() < opts.durationMs) {
      started++;
      const startMs = sinceStart();
      const answer = await send(url, headers, body, agent, opts.requestTimeoutMs, opts.signal);
      samples.push({ startMs, endMs: sinceStart(), ...answer });
      const wait = startMs + minIntervalMs - sinceStart();
      if (wait > 0) await pause(wait, opts.signal);
    }
  };
  try {
    await Promise.all(Array.from({ length: opts.concurrency }, worker));
  } finally {
    agent.destroy();
  }
  return samples;
}

type Answer = Pick<DrillSample, 'status' | 'requestId' | 'servedBy'>;

/** One request; never rejects (a network failure or timeout is status 0). */
function send(url: URL, headers: Record<string, string>, body: Buffer, agent: Agent, timeoutMs: number, signal: AbortSignal): Promise<Answer> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (answer: Answer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(answer);
    };
    const failed = () => done({ status: 0, requestId: null, servedBy: null });
    const req = request(url, { method: 'POST', headers, agent, signal }, (res) => {
      const provider = header(res.headers['x-slipway-provider']);
      const model = header(res.headers['x-slipway-model']);
      const answer: Answer = {
        status: res.statusCode ?? 0,
        requestId: header(res.headers['x-slipway-request-id']),
        servedBy: provider && model ? `${provider}/${model}` : null,
      };
      res.on('error', failed);
      res.on('end', () => done(answer));
      res.resume();
    });
    const timer = setTimeout(() => req.destroy(new Error('drill request timed out')), timeoutMs);
    req.on('error', failed);
    req.end(body);
  });
}

function header(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(finish, ms);
    function finish() {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      resolve();
    }
    signal.addEventListener('abort', finish, { once: true });
  });
}
