import { describe, expect, it } from 'vitest';
import { createStreamTranslator } from './stream';
import type { SseEvent } from './sse';

type Data = Record<string, unknown>;
const chunk = (choices: unknown[], extra: Data = {}): SseEvent => ({
  data: JSON.stringify({ id: 'chatcmpl-7', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices, ...extra }),
});
const delta = (d: Data, finish: string | null = null) => chunk([{ index: 0, delta: d, finish_reason: finish }]);
const DONE: SseEvent = { data: '[DONE]' };
const usage = { prompt_tokens: 1500, completion_tokens: 20, total_tokens: 1520, prompt_tokens_details: { cached_tokens: 1280 } };

/** Text, then two parallel tool calls, finish, a usage-only chunk, [DONE] (OpenAI's order). */
const upstream: SseEvent[] = [
  delta({ role: 'assistant', content: '', refusal: null }),
  delta({ content: 'Checking' }),
  delta({ content: ' both.' }),
  delta({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
  delta({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
  delta({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
  delta({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } }] }),
  delta({}, 'tool_calls'),
  chunk([], { usage }),
  DONE,
];

interface Ev {
  event: string;
  data: Data;
}

/** Parses Anthropic SSE output and checks the protocol the SDKs rely on. */
function events(out: string): Ev[] {
  const list = out
    .split('\n\n')
    .filter((f) => f.length > 0)
    .map((f) => {
      const m = /^event: (\w+)\ndata: (.*)$/s.exec(f);
      expect(m, f).not.toBeNull();
      const data = JSON.parse(m![2]!) as Data;
      expect(data.type).toBe(m![1]);
      return { event: m![1]!, data };
    });
  return list;
}

function checkOrder(list: Ev[]): void {
  expect(list[0]?.event).toBe('message_start');
  expect(list.at(-2)?.event).toBe('message_delta');
  expect(list.at(-1)?.event).toBe('message_stop');
  let open: number | null = null;
  let next = 0;
  for (const { event, data } of list.slice(1, -2)) {
    if (event === 'content_block_start') {
      expect(open).toBeNull();
      expect(data.index).toBe(next++);
      open = data.index as number;
    } else if (event === 'content_block_delta') expect(data.index).toBe(open);
    else if (event === 'content_block_stop') {
      expect(data.index).toBe(open);
      open = null;
    } else throw new Error(`unexpected ${event}`);
  }
  expect(open).toBeNull();
}

describe('OpenAI → Anthropic stream', () => {
  it('synthesises message_start, one block at a time, then message_delta with usage and message_stop', () => {
    const t = createStreamTranslator('openai', 'anthropic', { model: 'my-alias' });
    const outs = upstream.map((e) => t.push(e));
    expect(t.finished).toBe(true);
    expect(outs.at(-1)).toBe(''); // [DONE] after the usage chunk closed the message
    const list = events(outs.join('') + t.end());
    checkOrder(list);
    expect(list[0]?.data.message).toMatchObject({ id: 'chatcmpl-7', model: 'gpt-4o', role: 'assistant', content: [] }); // the upstream's own name
    expect(list.slice(1, -2).map((e) => (e.event === 'content_block_stop' ? 'stop' : (e.data.content_block ?? e.data.delta)))).toEqual([
      { type: 'text', text: '' },
      { type: 'text_delta', text: 'Checking' },
      { type: 'text_delta', text: ' both.' },
      'stop',
      { type: 'tool_use', id: 'call_a', name: 'get_weather', input: {} },
      { type: 'input_json_delta', partial_json: '{"city":' },
      { type: 'input_json_delta', partial_json: '"Paris"}' },
      'stop',
      { type: 'tool_use', id: 'call_b', name: 'get_weather', input: {} },
      { type: 'input_json_delta', partial_json: '{"city":"Rome"}' },
      'stop',
    ]);
    expect(list.at(-2)?.data).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { input_tokens: 220, output_tokens: 20, cache_read_input_tokens: 1280, cache_creation_input_tokens: 0 },
    });
    expect(t.usage()).toEqual({ inputTokens: 220, outputTokens: 20, cacheReadTokens: 1280, cacheWriteTokens: 0 });
  });

  it('waits for the usage chunk after finish_reason before ending the message', () => {
    const t = createStreamTranslator('openai', 'anthropic', { model: 'm' });
    t.push(delta({ role: 'assistant', content: 'Hi' }));
    const atFinish = events(t.push(delta({}, 'stop'))).map((e) => e.event);
    expect(atFinish).toEqual(['content_block_stop']);
    expect(t.finished).toBe(false);
    const atUsage = events(t.push(chunk([], { usage: { prompt_tokens: 5, completion_tokens: 1 } })));
    expect(atUsage.map((e) => e.event)).toEqual(['message_delta', 'message_stop']);
    expect(atUsage[0]?.data.usage).toMatchObject({ input_tokens: 5, output_tokens: 1 });
    expect(t.finished).toBe(true);
  });

  it('takes usage that arrives on the finish chunk itself', () => {
    const t = createStreamTranslator('openai', 'anthropic', { model: 'm' });
    t.push(delta({ content: 'Hi' }));
    const out = events(
      t.push(chunk([{ index: 0, delta: {}, finish_reason: 'length' }], { usage: { prompt_tokens: 5, completion_tokens: 1 } })),
    );
    expect(out.map((e) => e.event)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(out[1]?.data).toMatchObject({ delta: { stop_reason: 'max_tokens' }, usage: { input_tokens: 5, output_tokens: 1 } });
    expect(t.push(DONE)).toBe('');
  });

  it('ends on [DONE] without usage (zero counts) and without a finish_reason (end_turn)', () => {
    const t = createStreamTranslator('openai', 'anthropic', { model: 'm' });
    const list = events(t.push(delta({ content: 'Hi' })) + t.push(DONE));
    checkOrder(list);
    expect(list.at(-2)?.data).toMatchObject({ delta: { stop_reason: 'end_turn' }, usage: { input_tokens: 0, output_tokens: 0 } });
    expect(t.finished).toBe(true);
  });

  it('ignores reasoning deltas and opens a new text block for text after a tool call', () => {
    const t = createStreamTranslator('openai', 'anthropic', { model: 'm' });
    const out =
      t.push(delta({ reasoning_content: 'thinking…' })) +
      t.push(delta({ tool_calls: [{ index: 0, id: 'c', function: { name: 'f', arguments: '{}' } }] })) +
      t.push(delta({ content: 'done' })) +
      t.push(DONE);
    const list = events(out);
    checkOrder(list);
    expect(list.filter((e) => e.event === 'content_block_start').map((e) => (e.data.content_block as Data).type)).toEqual([
      'tool_use',
      'text',
    ]);
  });

  it('turns an upstream error chunk into an Anthropic error event, not a clean end', () => {
    const t = createStreamTranslator('openai', 'anthropic', { model: 'm' });
    t.push(delta({ content: 'Hi' }));
    const out = events(
      t.push({ data: JSON.stringify({ error: { message: 'The server had an error', type: 'server_error', param: null, code: null } }) }),
    );
    expect(out).toEqual([{ event: 'error', data: { type: 'error', error: { type: 'api_error', message: 'The server had an error' } } }]);
    expect(t.finished).toBe(false);
    expect(t.upstreamError).toEqual({ type: 'server_error', message: 'The server had an error' });
    expect(t.push(DONE)).toBe('');
    expect(t.end()).toBe('');
  });

  it('reports a malformed chunk as an error event', () => {
    const t = createStreamTranslator('openai', 'anthropic', { model: 'm' });
    t.push(delta({ content: 'Hi' }));
    expect(events(t.push({ data: '{"id":"chatcmpl-mock","object":"chat.completion.chu' }))[0]?.event).toBe('error');
    expect(t.upstreamError).not.toBeNull();
  });

  it('error() is an error event with the given type', () => {
    const t = createStreamTranslator('openai', 'anthropic', { model: 'm' });
    t.push(delta({ content: 'Hi' }));
    expect(events(t.error('overloaded_error', 'upstream cut'))).toEqual([
      { event: 'error', data: { type: 'error', error: { type: 'overloaded_error', message: 'upstream cut' } } },
    ]);
  });

  it('end() closes the message properly even when nothing came before', () => {
    const t = createStreamTranslator('openai', 'anthropic', { model: 'm', id: 'msg_own' });
    const list = events(t.end());
    checkOrder(list);
    expect(list[0]?.data.message).toMatchObject({ id: 'msg_own' });
    expect(t.end()).toBe('');
  });
});
