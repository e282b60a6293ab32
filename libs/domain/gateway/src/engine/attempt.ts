import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { FailureCategory, TokenUsage, WireFormat } from '@slipway/contracts';
import { SseSplitter, toUpstreamError, type SseFrame, type UpstreamClient, type UpstreamResponse } from '@slipway/ai-providers';
import {
  anthropicResponseToOpenAI,
  createStreamTranslator,
  createUsageObserver,
  openaiResponseToAnthropic,
  usageFromAnthropic,
  usageFromOpenAI,
} from '../translate';
import type { PlannedRoute } from '../routing';
import type { ProviderTarget } from '../callers';
import { categoryOfStatus } from './classify';
import { sendJson, startStream, type AnswerMeta } from './client-response';
import { buildUpstreamCall } from './upstream-call';

export const ZERO_USAGE: TokenUsage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
const MAX_ERROR_BODY = 64 * 1024;

export type AttemptOutcome =
  /** The client got a complete answer. */
  | { kind: 'answered'; usage: TokenUsage; ttftMs: number | null; servedModel: string }
  /** A stream failed after its first byte: the client got an error event, never a clean end. */
  | { kind: 'broken'; category: FailureCategory; usage: TokenUsage; ttftMs: number | null; servedModel: string }
  /** Nothing reached the client: the engine may retry or fall back. */
  | { kind: 'failed'; category: FailureCategory; message: string; status: number | null; errorBody: string | null; upstreamFormat: WireFormat; retryAfter: string | null; retryAfterMs: string | null; shouldRetry: string | null }
  /** The client went away; after the first token, what was served so far. */
  | { kind: 'aborted'; usage?: TokenUsage; ttftMs?: number | null; servedModel?: string };

export interface AttemptInput {
  client: WireFormat;
  op: 'messages';
  body: Record<string, unknown>;
  clientModel: string;
  stream: boolean;
  /** The OpenAI client's `stream_options.include_usage`. */
  includeUsage: boolean;
  clientHeaders: IncomingHttpHeaders;
  route: PlannedRoute & { provider: ProviderTarget };
  res: ServerResponse;
  meta: AnswerMeta;
  signal: AbortSignal;
  startedAt: number;
}

/** One call to one route: sends, then answers the client or reports why it could not. */
export async function attempt(upstream: UpstreamClient, input: AttemptInput): Promise<AttemptOutcome> {
  const call = buildUpstreamCall({ provider: input.route.provider, model: input.route.model, client: input.client, op: input.op, body: input.body, clientHeaders: input.clientHeaders });
  const { timeouts } = input.route;
  input = { ...input, meta: { ...input.meta, provider: input.route.provider.name, model: input.route.model } };
  let response;
  try {
    response = await upstream.request({
      origin: call.origin,
      path: call.path,
      headers: call.headers,
      body: call.body,
      signal: input.signal,
      connectTimeoutMs: timeouts.connectMs,
      // A non-streamed answer arrives whole, after generation: it gets the total budget, not the first-byte one.
      headersTimeoutMs: input.stream ? timeouts.firstByteMs : timeouts.totalMs,
      bodyTimeoutMs: input.stream ? timeouts.idleMs : timeouts.totalMs,
    });
  } catch (err) {
    const failure = toUpstreamError(err);
    if (failure.failure === 'aborted') return { kind: 'aborted' };
    return failed(failure.failure, `${input.route.provider.name}: ${failure.message}`, null, null, call.format, {});
  }
  if (response.status >= 300) {
    const text = await readText(response.body, MAX_ERROR_BODY).catch(() => '');
    return failed(categoryOfStatus(response.status), `${input.route.provider.name} answered ${response.status}`, response.status, text, call.format, response.headers);
  }
  if (!input.stream) return answerWhole(response.body, call.format, input);
  return relayStream(response.body, response.idle, call.format, call.hideUsageChunk, input);
}

function failed(
  category: FailureCategory,
  message: string,
  status: number | null,
  errorBody: string | null,
  upstreamFormat: WireFormat,
  headers: Record<string, string | string[] | undefined>,
): AttemptOutcome {
  const header = (name: string) => {
    const v = headers[name];
    return typeof v === 'string' ? v : null;
  };
  return { kind: 'failed', category, message, status, errorBody, upstreamFormat, retryAfter: header('retry-after'), retryAfterMs: header('retry-after-ms'), shouldRetry: header('x-should-retry') };
}

async function answerWhole(body: Readable, format: WireFormat, input: AttemptInput): Promise<AttemptOutcome> {
  let text: string;
  try {
    text = await readText(body, Number.POSITIVE_INFINITY);
  } catch (err) {
    const failure = toUpstreamError(err);
    if (failure.failure === 'aborted' || input.signal.aborted) return { kind: 'aborted' };
    return failed(failure.failure === 'timeout' ? 'timeout' : 'stream_cut', `${input.route.provider.name}: ${failure.message}`, null, null, format, {});
  }
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return failed('server_error', `${input.route.provider.name} sent a response that is not valid JSON`, null, null, format, {});
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return failed('server_error', `${input.route.provider.name} sent a response that is not a JSON object`, null, null, format, {});
  const usage = format === 'anthropic' ? usageFromAnthropic(json.usage) : usageFromOpenAI(json.usage);
  const servedModel = typeof json.model === 'string' ? json.model : input.route.model;
  if (format === input.client) sendJson(input.res, 200, text, input.meta);
  else sendJson(input.res, 200, format === 'openai' ? openaiResponseToAnthropic(json, input.clientModel) : anthropicResponseToOpenAI(json, input.clientModel), input.meta);
  return { kind: 'answered', usage, ttftMs: null, servedModel };
}

function readText(body: Readable, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    body.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    body.once('error', reject);
  });
}

/** An in-band error from the provider: Anthropic `event: error`, OpenAI a `data: {"error":…}` chunk. */
function errorOf(frame: SseFrame, format: WireFormat): { type: string; message: string } | null {
  if (format === 'anthropic' ? frame.event !== 'error' : !frame.data.includes('"error"')) return null;
  try {
    const parsed = JSON.parse(frame.data) as { error?: { type?: string; message?: string }; choices?: unknown };
    if (!parsed.error || parsed.choices) return null;
    return { type: parsed.error.type ?? 'api_error', message: parsed.error.message ?? 'The provider reported an error.' };
  } catch {
    return format === 'anthropic' ? { type: 'api_error', message: 'The provider reported an error.' } : null;
  }
}

const MAX_HELD_FRAMES = 8;
const OPENAI_ANSWER = /"(content|tool_calls|refusal)":\s*(?!null|""|\[\])/;

/** Whether an event carries (part of) the answer, so the stream must now reach the client. */
function isAnswerFrame(frame: SseFrame, format: WireFormat): boolean {
  if (format === 'anthropic') return frame.event === 'content_block_delta' || frame.event === 'message_delta' || frame.event === 'message_stop';
  return frame.data === '[DONE]' || frame.data.includes('"finish_reason":"') || OPENAI_ANSWER.test(frame.data);
}

function isUsageOnlyChunk(frame: SseFrame): boolean {
  return frame.data.startsWith('{') && frame.data.includes('"choices":[]') && frame.data.includes('"usage":{');
}

function relayStream(body: Readable, idle: UpstreamResponse['idle'], format: WireFormat, hideUsageChunk: boolean, input: AttemptInput): Promise<AttemptOutcome> {
  const { res } = input;
  const splitter = new SseSplitter();
  const translator = format === input.client ? null : createStreamTranslator(format, input.client, { clientModel: input.clientModel, id: input.meta.requestId, includeUsage: input.includeUsage });
  const observer = translator ? null : createUsageObserver(format);
  const usage = () => (translator ? translator.usage() : observer!.usage());
  let committed = false;
  let ttftMs: number | null = null;
  let settled = false;

  return new Promise<AttemptOutcome>((resolve) => {
    const finish = (outcome: AttemptOutcome) => {
      if (settled) return;
      settled = true;
      body.removeAllListeners('data');
      resolve(outcome);
    };
    let paused = false;
    const write = (text: string) => {
      if (!text || res.write(text) || paused) return;
      // A slow client: stop reading the provider until it catches up (and stop the idle clock).
      paused = true;
      body.pause();
      idle.suspend();
      res.once('drain', () => {
        paused = false;
        idle.resume();
        body.resume();
      });
    };
    const endBroken = (category: FailureCategory) => {
      res.end();
      body.destroy();
      finish({ kind: 'broken', category, usage: usage(), ttftMs, servedModel: input.route.model });
    };
    const breakStream = (category: FailureCategory, type: string, message: string, raw?: string) => {
      // A proper error event, never a clean end: the client must know the answer is incomplete.
      if (raw !== undefined) write(raw);
      else write(translator ? translator.error(type, message) : inBandError(input.client, type, message));
      endBroken(category);
    };

    const forward = (frame: SseFrame) => {
      if (translator) {
        write(translator.push(frame));
        // The translator already wrote the client's error event for a bad upstream event: end here.
        if (translator.upstreamError) endBroken('server_error');
      } else {
        observer!.observe(frame);
        if (!(hideUsageChunk && isUsageOnlyChunk(frame))) write(frame.raw);
      }
    };
    // Events before the first token (message_start, ping, block start) are held back: if the
    // stream dies there, nothing has reached the client and another route can still answer.
    const held: SseFrame[] = [];
    const commit = () => {
      committed = true;
      ttftMs = Math.round(performance.now() - input.startedAt);
      startStream(res, input.meta);
      for (const frame of held) forward(frame);
      held.length = 0;
    };

    const onFrames = (chunk: Buffer) => {
      for (const frame of splitter.push(chunk)) {
        if (settled) return;
        const error = errorOf(frame, format);
        if (error && !committed) {
          body.destroy();
          return finish(failed(error.type.includes('overloaded') ? 'overloaded' : 'server_error', `${input.route.provider.name}: ${error.message}`, 200, frame.data, format, {}));
        }
        if (!committed) {
          held.push(frame);
          if (isAnswerFrame(frame, format) || held.length >= MAX_HELD_FRAMES) commit();
          continue;
        }
        if (error) return breakStream(error.type.includes('overloaded') ? 'overloaded' : 'server_error', error.type, error.message, translator ? undefined : frame.raw);
        forward(frame);
      }
    };
    body.on('data', (chunk: Buffer) => {
      try {
        onFrames(chunk);
      } catch (err) {
        // Never let a surprise in one event take the process down: this answer ends, others go on.
        const message = `The gateway could not relay the provider's stream: ${err instanceof Error ? err.message : String(err)}`;
        if (committed) breakStream('server_error', 'api_error', message);
        else {
          body.destroy();
          finish(failed('server_error', message, null, null, format, {}));
        }
      }
    });
    body.once('end', () => {
      if (settled) return;
      const complete = translator ? translator.finished : observer!.finished;
      if (!committed) return finish(failed('connection', `${input.route.provider.name} ended the stream before the first token`, null, null, format, {}));
      if (!complete) return breakStream('stream_cut', 'api_error', 'The provider ended the stream before the answer was complete.');
      if (translator) write(translator.end());
      res.end();
      finish({ kind: 'answered', usage: usage(), ttftMs, servedModel: input.route.model });
    });
    body.once('error', (err) => {
      if (settled) return;
      const failure = toUpstreamError(err);
      if (failure.failure === 'aborted' || input.signal.aborted) {
        res.end();
        return finish(committed ? { kind: 'aborted', usage: usage(), ttftMs, servedModel: input.route.model } : { kind: 'aborted' });
      }
      const category: FailureCategory = failure.failure === 'timeout' ? 'timeout' : 'stream_cut';
      // Before the first token nothing reached the client: a broken connection, which may fall back.
      if (!committed) return finish(failed(category === 'stream_cut' ? 'connection' : category, `${input.route.provider.name}: ${failure.message}`, null, null, format, {}));
      breakStream(category, category === 'timeout' ? 'timeout_error' : 'api_error', category === 'timeout' ? 'The provider stopped sending mid-answer (idle timeout).' : 'The provider connection broke mid-answer.');
    });
  });
}

function inBandError(client: WireFormat, type: string, message: string): string {
  if (client === 'anthropic') return `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type, message } })}\n\n`;
  return `data: ${JSON.stringify({ error: { message, type, param: null, code: null } })}\n\n`;
}
