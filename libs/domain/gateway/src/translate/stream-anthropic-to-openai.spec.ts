import { describe, expect, it } from 'vitest';
import { createStreamTranslator } from './stream';
import type { SseEvent } from './sse';

interface Chunk {
  id: string;
  choices: Array<{ delta: unknown; finish_reason: string | null }>;
  usage?: unknown;
}

const ev = (event: string, data: Record<string, unknown>): SseEvent => ({ event, data: JSON.stringify({ type: event, ...data }) });

/** An Anthropic stream with cache usage, a ping, a thinking block, text and a tool call. */
const upstream: SseEvent[] = [
  ev('message_start', {
    message: {
      id: 'msg_01',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 12, cache_creation_input_tokens: 30, cache_read_input_tokens: 2000, output_tokens: 1 },
    },
  }),
  ev('ping', {}),
  ev('content_block_start', { index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } }),
  ev('content_block_delta', { index: 0, delta: { type: 'thinking_delta', thinking: 'Let me think' } }),
  ev('content_block_delta', { index: 0, delta: { type: 'signature_delta', signature: 'EqQB' } }),
  ev('content_block_stop', { index: 0 }),
  ev('content_block_start', { index: 1, content_block: { type: 'text', text: '' } }),
  ev('content_block_delta', { index: 1, delta: { type: 'text_delta', text: "I'll check" } }),
  ev('content_block_delta', { index: 1, delta: { type: 'text_delta', text: ' the weather.' } }),
  ev('content_block_stop', { index: 1 }),
  ev('ping', {}),
  ev('content_block_start', { index: 2, content_block: { type: 'tool_use', id: 'toolu_9', name: 'get_weather', input: {} } }),
  ev('content_block_delta', { index: 2, delta: { type: 'input_json_delta', partial_json: '' } }),
  ev('content_block_delta', { index: 2, delta: { type: 'input_json_delta', partial_json: '{"city": "Pa' } }),
  ev('content_block_delta', { index: 2, delta: { type: 'input_json_delta', partial_json: 'ris"}' } }),
  ev('content_block_stop', { index: 2 }),
  ev('message_delta', { delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 42 } }),
  ev('message_stop', {}),
];

function dataLines(out: string): unknown[] {
  return out
    .split('\n\n')
    .filter((f) => f.length > 0)
    .map((f) => {
      expect(f.startsWith('data: ')).toBe(true);
      const data = f.slice(6);
      return data === '[DONE]' ? data : JSON.parse(data);
    });
}

describe('Anthropic → OpenAI stream', () => {
  it('emits role, content, tool call and finish chunks, then the usage chunk and [DONE]', () => {
    const t = createStreamTranslator('anthropic', 'openai', { model: 'my-alias', includeUsage: true });
    const outs = upstream.map((e) => t.push(e));
    expect(outs[1]).toBe(''); // ping
    expect(t.finished).toBe(true);
    const chunks = dataLines(outs.join('') + t.end()) as Array<Chunk | '[DONE]'>;
    expect(chunks.at(-1)).toBe('[DONE]');
    const body = chunks.slice(0, -1) as Chunk[];
    for (const c of body) expect(c).toMatchObject({ id: 'msg_01', object: 'chat.completion.chunk', model: 'claude-sonnet-4-5' }); // the upstream's own name
    expect(body.map((c) => c.choices[0]?.delta ?? null)).toEqual([
      { role: 'assistant', content: '' },
      { content: "I'll check" },
      { content: ' the weather.' },
      { tool_calls: [{ index: 0, id: 'toolu_9', type: 'function', function: { name: 'get_weather', arguments: '' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{"city": "Pa' } }] },
      { tool_calls: [{ index: 0, function: { arguments: 'ris"}' } }] },
      {},
      null,
    ]);
    expect(body.at(-2)?.choices[0]?.finish_reason).toBe('tool_calls');
    // As OpenAI streams with include_usage: `"usage": null` in every chunk but the last.
    expect(body.slice(0, -1).every((c) => (c as Chunk & { usage?: unknown }).usage === null)).toBe(true);
    expect(body.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 2042, completion_tokens: 42, total_tokens: 2084, prompt_tokens_details: { cached_tokens: 2000 } },
    });
    expect(t.usage()).toEqual({ inputTokens: 12, outputTokens: 42, cacheReadTokens: 2000, cacheWriteTokens: 30 });
  });

  it('sends no usage chunk when the client did not ask, but still counts usage', () => {
    const t = createStreamTranslator('anthropic', 'openai', { model: 'm', id: 'chatcmpl-own' });
    const chunks = dataLines(upstream.map((e) => t.push(e)).join('') + t.end()) as Array<Chunk | '[DONE]'>;
    expect(chunks.some((c) => c !== '[DONE]' && c.choices.length === 0)).toBe(false);
    expect(chunks.some((c) => c !== '[DONE]' && 'usage' in c)).toBe(false);
    expect(chunks[0]).toMatchObject({ id: 'chatcmpl-own' });
    expect(t.usage().outputTokens).toBe(42);
  });

  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
  ])('maps stop_reason %s to finish_reason %s', (stop, finish) => {
    const t = createStreamTranslator('anthropic', 'openai', { model: 'm' });
    t.push(upstream[0]!);
    const out = t.push(ev('message_delta', { delta: { stop_reason: stop }, usage: { output_tokens: 3 } }));
    expect((dataLines(out)[0] as Chunk).choices[0]?.finish_reason).toBe(finish);
  });

  it('takes cumulative input and cache counts from message_delta when present', () => {
    const t = createStreamTranslator('anthropic', 'openai', { model: 'm' });
    t.push(upstream[0]!);
    t.push(
      ev('message_delta', {
        delta: { stop_reason: 'end_turn' },
        usage: { input_tokens: 15, cache_read_input_tokens: 2100, output_tokens: 9 },
      }),
    );
    expect(t.usage()).toEqual({ inputTokens: 15, outputTokens: 9, cacheReadTokens: 2100, cacheWriteTokens: 30 });
  });

  it('turns an upstream error event into an OpenAI error chunk, not a clean end', () => {
    const t = createStreamTranslator('anthropic', 'openai', { model: 'm' });
    t.push(upstream[0]!);
    const out = t.push(ev('error', { error: { type: 'overloaded_error', message: 'Overloaded' } }));
    expect(dataLines(out)).toEqual([{ error: { message: 'Overloaded', type: 'server_error', param: null, code: null } }]);
    expect(t.finished).toBe(false);
    expect(t.upstreamError).toEqual({ type: 'overloaded_error', message: 'Overloaded' });
    expect(t.push(upstream[7]!)).toBe('');
    expect(t.end()).toBe('');
  });

  it('reports a malformed upstream event as an error chunk', () => {
    const t = createStreamTranslator('anthropic', 'openai', { model: 'm' });
    t.push(upstream[0]!);
    const out = t.push({ event: 'content_block_delta', data: '{"type":"content_block_delta","index":0,"delta":{"type":"text_' });
    expect(dataLines(out)).toEqual([{ error: expect.objectContaining({ type: 'server_error' }) }]);
    expect(t.upstreamError?.message).toMatch(/malformed/);
  });

  it('error() writes an error chunk the client cannot mistake for an end', () => {
    const t = createStreamTranslator('anthropic', 'openai', { model: 'm' });
    t.push(upstream[0]!);
    expect(dataLines(t.error('api_error', 'upstream connection lost'))).toEqual([
      { error: { message: 'upstream connection lost', type: 'server_error', param: null, code: null } },
    ]);
  });
});
