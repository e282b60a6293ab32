import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { TokenUsage, WireFormat } from '@slipway/contracts';
import { toUpstreamError, type CancelSignal, type UpstreamClient } from '@slipway/ai-providers';
import { anthropicResponseToOpenAI, openaiResponseToAnthropic, usageFromAnthropic, usageFromOpenAI } from '../translate';
import type { PlannedRoute } from '../routing';
import type { ProviderTarget } from '../callers';
import { categoryOfStatus } from './classify';
import { sendJson, type AnswerMeta } from './client-response';
import { failed, type AttemptOutcome } from './attempt-outcome';
import { AnswerTooLarge, readCapped } from './read-capped';
import { relayStream } from './stream-relay';
import { abandonedUsage } from './usage-estimate';
import type { UpstreamLimits } from './upstream-wiring';

export type { AttemptOutcome } from './attempt-outcome';
import { buildUpstreamCall } from './upstream-call';

export const ZERO_USAGE: TokenUsage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
const MAX_ERROR_BODY = 64 * 1024;
/** Retrying these cannot help: the same answer would come back. */
const DO_NOT_RETRY = { 'x-should-retry': 'false' } as const;

/** What stays the same across the attempts of one request (built once per request). */
export interface AttemptInput {
  client: WireFormat;
  op: 'messages';
  body: Record<string, unknown>;
  stream: boolean;
  /** The OpenAI client's `stream_options.include_usage`. */
  includeUsage: boolean;
  /** The request's input tokens, estimated (requestNeeds): billed when the provider never reports usage. */
  inputTokensEstimate: number;
  clientHeaders: IncomingHttpHeaders;
  res: ServerResponse;
  requestId: string;
  signal: CancelSignal;
  startedAt: number;
}

/** One route of the plan, with the organization's provider behind it. */
export type AttemptRoute = PlannedRoute & { provider: ProviderTarget };

/** One call to one route: sends, then answers the client or reports why it could not. */
export async function attempt(upstream: UpstreamClient, limits: UpstreamLimits, input: AttemptInput, route: AttemptRoute): Promise<AttemptOutcome> {
  const call = buildUpstreamCall({ provider: route.provider, model: route.model, client: input.client, op: input.op, body: input.body, clientHeaders: input.clientHeaders });
  const { timeouts } = route;
  let response;
  try {
    response = await upstream.request({
      origin: call.origin,
      path: call.path,
      headers: call.headers,
      body: call.body,
      signal: input.signal,
      connectTimeoutMs: timeouts.connectMs,
      // A non-streamed answer arrives whole, after generation: one total deadline, not first-byte + idle.
      timeoutMs: input.stream ? timeouts.firstByteMs : timeouts.totalMs,
      idleTimeoutMs: input.stream ? timeouts.idleMs : undefined,
      // The built-in mock is the operator's own upstream; every other provider is an organization's, held to the address policy.
      trusted: route.provider.kind === 'MOCK',
    });
  } catch (err) {
    const failure = toUpstreamError(err);
    if (failure.failure === 'aborted') return abandoned(input, route);
    // Refused by the address policy: the message is only "refused: <class> address", nothing of what is there.
    if (failure.failure === 'refused') return failed('connection', `${route.provider.name}: ${failure.message}`, null, null, call.format, DO_NOT_RETRY);
    return failed(failure.failure, `${route.provider.name}: ${failure.message}`, null, null, call.format, {});
  }
  if (response.status >= 300 && response.status < 400) {
    // Never followed (node:http does not): a provider answering with a redirect is misconfigured, or pointing us elsewhere on purpose.
    response.body.destroy();
    return failed('server_error', `${route.provider.name} answered ${response.status}, a redirect, which the gateway does not follow; check the provider's base URL`, null, null, call.format, DO_NOT_RETRY);
  }
  if (response.status >= 400) {
    const text = await readCapped(response.body, MAX_ERROR_BODY, 'truncate').catch(() => '');
    return failed(categoryOfStatus(response.status), `${route.provider.name} answered ${response.status}`, response.status, text, call.format, response.headers);
  }
  const meta: AnswerMeta = { requestId: input.requestId, provider: route.provider.name, model: route.model };
  if (!input.stream) return answerWhole(response.body, limits.maxAnswerBytes, call.format, input, route, meta);
  return relayStream(response.body, response.idle, limits.maxEventBytes, call.format, input, route, meta);
}

async function answerWhole(body: Readable, maxBytes: number, format: WireFormat, input: AttemptInput, route: AttemptRoute, meta: AnswerMeta): Promise<AttemptOutcome> {
  let text: string;
  try {
    text = await readCapped(body, maxBytes, 'fail');
  } catch (err) {
    if (err instanceof AnswerTooLarge) return failed('server_error', `${route.provider.name}: ${err.message}`, null, null, format, DO_NOT_RETRY);
    const failure = toUpstreamError(err);
    if (failure.failure === 'aborted' || input.signal.aborted) return abandoned(input, route);
    return failed(failure.failure === 'timeout' ? 'timeout' : 'stream_cut', `${route.provider.name}: ${failure.message}`, null, null, format, {});
  }
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return failed('server_error', `${route.provider.name} sent a response that is not valid JSON`, null, null, format, {});
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return failed('server_error', `${route.provider.name} sent a response that is not a JSON object`, null, null, format, {});
  const usage = format === 'anthropic' ? usageFromAnthropic(json.usage) : usageFromOpenAI(json.usage);
  const servedModel = typeof json.model === 'string' ? json.model : route.model;
  if (format === input.client) sendJson(input.res, 200, text, meta);
  else sendJson(input.res, 200, format === 'openai' ? openaiResponseToAnthropic(json, servedModel) : anthropicResponseToOpenAI(json, servedModel), meta);
  return { kind: 'answered', usage, estimated: false, ttftMs: null, servedModel };
}

/** The client left after the request went to the provider and before any answer: the input is billed, estimated. */
function abandoned(input: AttemptInput, route: AttemptRoute): AttemptOutcome {
  return { kind: 'aborted', usage: abandonedUsage(input.inputTokensEstimate), estimated: true, ttftMs: null, servedModel: route.model };
}
