// Anthropic Messages wire format: bodies, SSE events in the API's order, error shapes.
import type { MockCompletion } from './prompt';
import { sse, withPings, type PlanEvent, type StreamPlan, type WireFormat } from './stream-plan';

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

const PING = sse('ping', { type: 'ping' });

function usage(c: MockCompletion, outputTokens: number) {
  return { input_tokens: c.inputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: outputTokens };
}

export function anthropicMessage(c: MockCompletion, model: string, id: string) {
  const content: unknown[] = [{ type: 'text', text: c.text }];
  if (c.toolCall) content.push({ type: 'tool_use', id: c.toolCall.id, name: c.toolCall.name, input: c.toolCall.input });
  return {
    id,
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: c.stopReason,
    stop_sequence: c.stopSequence,
    usage: usage(c, c.outputTokens),
  };
}

export function anthropicStreamPlan(c: MockCompletion, model: string, id: string, pingEvery: number): StreamPlan {
  const start = { ...anthropicMessage(c, model, id), content: [], stop_reason: null, stop_sequence: null, usage: usage(c, 1) };
  const body: PlanEvent[] = [];
  const ev = (event: string, data: unknown, token = false) => body.push({ sse: sse(event, data), token });
  ev('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
  for (const t of c.textTokens)
    ev('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: t } }, true);
  ev('content_block_stop', { type: 'content_block_stop', index: 0 });
  if (c.toolCall) {
    const tc = c.toolCall;
    ev('content_block_start', {
      type: 'content_block_start',
      index: 1,
      content_block: { type: 'tool_use', id: tc.id, name: tc.name, input: {} },
    });
    for (const j of tc.jsonChunks)
      ev('content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: j } }, true);
    ev('content_block_stop', { type: 'content_block_stop', index: 1 });
  }
  return {
    head: [sse('message_start', { type: 'message_start', message: start }), PING],
    body: withPings(body, pingEvery, PING),
    tail: [
      sse('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: c.stopReason, stop_sequence: c.stopSequence },
        usage: usage(c, c.outputTokens),
      }),
      sse('message_stop', { type: 'message_stop' }),
    ],
  };
}

const displayName = (m: string) => m.replace(/^mock-/, 'Mock ').replace(/-/g, ' ');

export const anthropicWire: WireFormat = {
  requestIdHeader: 'request-id',
  errorBody: (status, message, type) => ({
    type: 'error',
    error: { type: type ?? ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error'), message },
  }),
  errorEvent: (message, type) => sse('error', { type: 'error', error: { type: type ?? 'overloaded_error', message } }),
  malformedEvent: 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_\n\n',
  malformedBody: (id) => `{"id":"${id}","type":"message","role":"assistant","content":[{"type":"text","text":"Ec`,
  modelBody: (id) => ({ type: 'model', id, display_name: displayName(id), created_at: '2026-01-01T00:00:00Z' }),
  modelsBody(models) {
    return {
      data: models.map((m) => this.modelBody(m)),
      has_more: false,
      first_id: models[0] ?? null,
      last_id: models[models.length - 1] ?? null,
    };
  },
};
