// Writing answers with the configured timing: latency before the response starts, TTFT
// before the first token, then tokens paced at tokensPerSecond (overdue tokens go out in one
// write). Non-streamed answers wait as long as the stream would have taken.
import type { ServerResponse } from 'node:http';
import type { StreamPlan, WireFormat } from './stream-plan';
import type { MockFault, MockTiming } from './types';

export interface Exchange {
  res: ServerResponse;
  wire: WireFormat;
  timing: MockTiming;
  /** A timer the server can cancel on close; resolves after ms. */
  wait(ms: number): Promise<void>;
  /** False once the client went away or the server closed. */
  alive(): boolean;
  onStatus(status: number): void;
}

const interval = (t: MockTiming) => (t.tokensPerSecond > 0 && Number.isFinite(t.tokensPerSecond) ? 1000 / t.tokensPerSecond : 0);

/** How long a non-streamed answer with this many tokens takes after the response would start. */
const generationMs = (t: MockTiming, tokens: number) => t.ttftMs + Math.max(0, tokens - 1) * interval(t);

export function sendJson(x: Pick<Exchange, 'res' | 'onStatus'>, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  x.onStatus(status);
  x.res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  x.res.end(text);
}

export function sendError(x: Exchange, status: number, message: string, type?: string, headers: Record<string, string> = {}): void {
  sendJson(x, status, x.wire.errorBody(status, message, type), headers);
}

/** Applies a `status` fault: the provider's error body with retry-after / x-should-retry. */
export async function sendStatusFault(x: Exchange, f: Extract<MockFault, { kind: 'status' }>, extraLatency: number): Promise<void> {
  await x.wait(x.timing.latencyMs + extraLatency);
  if (!x.alive()) return;
  const headers: Record<string, string> = {};
  if (f.retryAfter !== undefined) headers['retry-after'] = String(f.retryAfter);
  if (f.shouldRetry !== undefined) headers['x-should-retry'] = String(f.shouldRetry);
  const message =
    f.message ?? (f.status === 529 ? 'Overloaded' : f.status === 429 ? 'Rate limited (mock fault)' : `Mock fault ${f.status}`);
  sendError(x, f.status, message, f.errorType, headers);
}

export async function sendCompletion(
  x: Exchange,
  body: unknown,
  tokens: number,
  fault: MockFault | undefined,
  extraLatency: number,
  id: string,
) {
  await x.wait(x.timing.latencyMs + extraLatency + generationMs(x.timing, tokens));
  if (!x.alive()) return;
  if (fault?.kind === 'malformed-json') {
    const text = x.wire.malformedBody(id);
    x.onStatus(200);
    x.res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    x.res.end(text);
    return;
  }
  if (fault?.kind === 'stream-cut') {
    const text = JSON.stringify(body);
    x.onStatus(200);
    x.res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    x.res.write(text.slice(0, Math.floor(text.length / 2)), () => x.res.destroy());
    return;
  }
  sendJson(x, 200, body);
}

const STREAM_FAULTS = new Set(['stream-cut', 'stall', 'stream-error', 'malformed-json']);

export async function playStream(x: Exchange, plan: StreamPlan, fault: MockFault | undefined, extraLatency: number): Promise<void> {
  await x.wait(x.timing.latencyMs + extraLatency);
  if (!x.alive()) return;
  const { res } = x;
  let last: Promise<void> = Promise.resolve();
  const write = (data: string) => {
    if (data) last = new Promise((resolve) => res.write(data, () => resolve()));
  };
  x.onStatus(200);
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.socket?.setNoDelay(true);
  write(plan.head.join(''));
  const t0 = performance.now();
  const step = interval(x.timing);
  const streamFault = fault && STREAM_FAULTS.has(fault.kind) ? fault : undefined;
  const faultAt = streamFault && 'afterTokens' in streamFault ? (streamFault.afterTokens ?? 1) : 1;
  let tokens = 0;
  let buf = '';
  const applyFault = async (f: MockFault) => {
    write(buf);
    if (f.kind === 'stream-cut') {
      await last;
      res.destroy();
    } else if (f.kind === 'stream-error') {
      res.end(x.wire.errorEvent(f.message ?? 'Overloaded', f.errorType));
    } else if (f.kind === 'malformed-json') {
      res.end(x.wire.malformedEvent);
    } // stall: nothing more, the connection stays open
  };
  for (const e of plan.body) {
    if (e.token) {
      if (streamFault && tokens === faultAt) return applyFault(streamFault);
      const delay = t0 + x.timing.ttftMs + tokens * step - performance.now();
      if (delay >= 1) {
        write(buf);
        buf = '';
        await x.wait(delay);
        if (!x.alive()) return;
      }
      tokens++;
    }
    buf += e.sse;
  }
  if (streamFault) return applyFault(streamFault);
  res.end(buf + plan.tail.join(''));
}
