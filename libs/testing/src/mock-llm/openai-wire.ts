// OpenAI Chat Completions wire format: bodies, chat.completion.chunk SSE with [DONE], errors.
import type { MockCompletion, MockStopReason } from './prompt';
import { sse, type PlanEvent, type StreamPlan, type WireFormat } from './stream-plan';

const FINISH: Record<MockStopReason, string> = { end_turn: 'stop', stop_sequence: 'stop', max_tokens: 'length', tool_use: 'tool_calls' };

const ERRORS: Record<number, { type: string; code: string | null }> = {
  400: { type: 'invalid_request_error', code: null },
  401: { type: 'invalid_request_error', code: 'invalid_api_key' },
  403: { type: 'invalid_request_error', code: 'unsupported_country_region_territory' },
  404: { type: 'invalid_request_error', code: 'model_not_found' },
  413: { type: 'invalid_request_error', code: 'request_too_large' },
  429: { type: 'requests', code: 'rate_limit_exceeded' },
};

const CREATED = 1767225600; // 2026-01-01: fixed, so bodies are deterministic

function usage(c: MockCompletion) {
  return { prompt_tokens: c.inputTokens, completion_tokens: c.outputTokens, total_tokens: c.inputTokens + c.outputTokens };
}

export function openaiCompletion(c: MockCompletion, model: string, id: string) {
  const message: Record<string, unknown> = { role: 'assistant', content: c.text, refusal: null };
  if (c.toolCall)
    message.tool_calls = [
      { id: c.toolCall.id, type: 'function', function: { name: c.toolCall.name, arguments: c.toolCall.jsonChunks.join('') } },
    ];
  return {
    id,
    object: 'chat.completion',
    created: CREATED,
    model,
    system_fingerprint: 'fp_mock',
    choices: [{ index: 0, message, logprobs: null, finish_reason: FINISH[c.stopReason] }],
    usage: usage(c),
  };
}

export function openaiStreamPlan(c: MockCompletion, model: string, id: string, includeUsage: boolean): StreamPlan {
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    sse(undefined, {
      id,
      object: 'chat.completion.chunk',
      created: CREATED,
      model,
      system_fingerprint: 'fp_mock',
      choices,
      ...(includeUsage ? { usage: null } : {}),
      ...extra,
    });
  const delta = (d: Record<string, unknown>, finish: string | null = null) => [
    { index: 0, delta: d, logprobs: null, finish_reason: finish },
  ];
  const body: PlanEvent[] = c.textTokens.map((t) => ({ sse: chunk(delta({ content: t })), token: true }));
  if (c.toolCall) {
    const tc = c.toolCall;
    const call = { index: 0, id: tc.id, type: 'function', function: { name: tc.name, arguments: '' } };
    body.push({ sse: chunk(delta({ tool_calls: [call] })), token: false });
    for (const j of tc.jsonChunks)
      body.push({ sse: chunk(delta({ tool_calls: [{ index: 0, function: { arguments: j } }] })), token: true });
  }
  const tail = [chunk(delta({}, FINISH[c.stopReason]))];
  if (includeUsage) tail.push(chunk([], { usage: usage(c) }));
  tail.push('data: [DONE]\n\n');
  return { head: [chunk(delta({ role: 'assistant', content: '', refusal: null }))], body, tail };
}

export const openaiWire: WireFormat = {
  requestIdHeader: 'x-request-id',
  errorBody: (status, message, type) => {
    const known = ERRORS[status] ?? { type: status >= 500 ? 'server_error' : 'invalid_request_error', code: null };
    return { error: { message, type: type ?? known.type, param: null, code: known.code } };
  },
  errorEvent: (message, type) => sse(undefined, { error: { message, type: type ?? 'server_error', param: null, code: null } }),
  malformedEvent: 'data: {"id":"chatcmpl-mock","object":"chat.completion.chu\n\n',
  malformedBody: (id) => `{"id":"${id}","object":"chat.completion","choices":[{"index":0,"message":{"role":"assi`,
  modelBody: (id) => ({ id, object: 'model', created: CREATED, owned_by: 'mock-llm' }),
  modelsBody(models) {
    return { object: 'list', data: models.map((m) => this.modelBody(m)) };
  },
};
