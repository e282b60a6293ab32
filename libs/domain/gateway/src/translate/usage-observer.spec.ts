import { describe, expect, it } from 'vitest';
import { createStreamTranslator } from './stream';
import type { SseEvent } from './sse';
import { createUsageObserver } from './usage-observer';

const a = (event: string, data: Record<string, unknown>): SseEvent => ({ event, data: JSON.stringify({ type: event, ...data }) });
const o = (data: Record<string, unknown>): SseEvent => ({ data: JSON.stringify(data) });

const anthropic: SseEvent[] = [
  a('message_start', {
    message: { id: 'msg', usage: { input_tokens: 7, cache_read_input_tokens: 100, cache_creation_input_tokens: 5, output_tokens: 1 } },
  }),
  a('ping', {}),
  a('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
  a('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'the "usage": 5' } }),
  a('content_block_stop', { index: 0 }),
  a('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 9 } }),
  a('message_stop', {}),
];

const openai: SseEvent[] = [
  o({ id: 'c', choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }], usage: null }),
  o({ id: 'c', choices: [{ index: 0, delta: { content: '"usage": {"prompt_tokens": 999}' }, finish_reason: null }], usage: null }),
  o({ id: 'c', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: null }),
  { data: '{"id":"c","choices":[],"usage": {"prompt_tokens":120,"completion_tokens":4,"prompt_tokens_details":{"cached_tokens":100}}}' },
  { data: '[DONE]' },
];

describe('createUsageObserver', () => {
  it('Anthropic: input and cache from message_start, cumulative output from message_delta, finished at message_stop', () => {
    const obs = createUsageObserver('anthropic');
    for (const e of anthropic.slice(0, -1)) obs.observe(e);
    expect(obs.finished).toBe(false);
    obs.observe(anthropic.at(-1)!);
    expect(obs.finished).toBe(true);
    expect(obs.usage()).toEqual({ inputTokens: 7, outputTokens: 9, cacheReadTokens: 100, cacheWriteTokens: 5 });
  });

  it('OpenAI: usage from the final chunk (text mentioning "usage" is not mistaken for it), finished on finish + usage', () => {
    const obs = createUsageObserver('openai');
    for (const e of openai.slice(0, 3)) obs.observe(e);
    expect(obs.usage().inputTokens).toBe(0);
    expect(obs.finished).toBe(false);
    obs.observe(openai[3]!);
    expect(obs.finished).toBe(true);
    expect(obs.usage()).toEqual({ inputTokens: 20, outputTokens: 4, cacheReadTokens: 100, cacheWriteTokens: 0 });
  });

  it('OpenAI: a stream cut before usage and [DONE] is not finished; an error chunk is reported', () => {
    const obs = createUsageObserver('openai');
    obs.observe(openai[0]!);
    obs.observe(o({ error: { message: 'boom', type: 'server_error' } }));
    expect(obs.finished).toBe(false);
    expect(obs.upstreamError).toEqual({ type: 'server_error', message: 'boom' });
  });

  it('Anthropic: an error event is reported and the stream is not finished', () => {
    const obs = createUsageObserver('anthropic');
    obs.observe(anthropic[0]!);
    obs.observe(a('error', { error: { type: 'overloaded_error', message: 'Overloaded' } }));
    expect(obs.finished).toBe(false);
    expect(obs.upstreamError).toEqual({ type: 'overloaded_error', message: 'Overloaded' });
  });
});

describe('same-format stream translator', () => {
  it('Anthropic: forwards every event as received, pings included', () => {
    const t = createStreamTranslator('anthropic', 'anthropic', { model: 'm' });
    const out = anthropic.map((e) => t.push(e)).join('') + t.end();
    expect(out).toBe(anthropic.map((e) => `event: ${e.event}\ndata: ${e.data}\n\n`).join(''));
    expect(t.finished).toBe(true);
    expect(t.usage().outputTokens).toBe(9);
  });

  it('OpenAI: drops the usage-only chunk when the client did not ask for usage, and sends [DONE] once', () => {
    const t = createStreamTranslator('openai', 'openai', { model: 'm', includeUsage: false });
    const out = openai.map((e) => t.push(e)).join('') + t.end();
    // OpenAI sends no usage member without include_usage: the gateway's own request for it leaves no trace.
    expect(out).toBe([0, 1, 2, 4].map((i) => `data: ${openai[i]!.data.replace(',"usage":null', '')}\n\n`).join(''));
    expect(t.usage().cacheReadTokens).toBe(100);
  });

  it('OpenAI: keeps the usage chunk when asked, and end() adds [DONE] when the upstream never sent it', () => {
    const t = createStreamTranslator('openai', 'openai', { model: 'm', includeUsage: true });
    const out =
      openai
        .slice(0, 4)
        .map((e) => t.push(e))
        .join('') + t.end();
    expect(out).toBe(openai.map((e) => `data: ${e.data}\n\n`).join(''));
  });
});
