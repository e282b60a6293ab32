// Recorded-shape fixtures the mock cannot produce (cache tokens, thinking blocks, usage on the
// finish chunk), translated and then read by the official SDKs from a local server.
import Anthropic from '@anthropic-ai/sdk';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SseEvent } from './sse';
import { createStreamTranslator } from './stream';

let body = '';
let server: http.Server;
let url = '';
beforeAll(async () => {
  server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/event-stream' }).end(body));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const a = (event: string, data: Record<string, unknown>): SseEvent => ({ event, data: JSON.stringify({ type: event, ...data }) });
const o = (choices: unknown[], extra: Record<string, unknown> = {}): SseEvent => ({
  data: JSON.stringify({ id: 'chatcmpl-9', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices, ...extra }),
});

describe('cache tokens and thinking blocks survive translation into the SDKs', () => {
  it('Anthropic upstream → OpenAI SDK: cached tokens in prompt_tokens_details, thinking dropped, tool call intact', async () => {
    const t = createStreamTranslator('anthropic', 'openai', { model: 'alias', includeUsage: true });
    const events = [
      a('message_start', {
        message: {
          id: 'msg_1',
          role: 'assistant',
          content: [],
          usage: { input_tokens: 12, cache_creation_input_tokens: 30, cache_read_input_tokens: 2000, output_tokens: 1 },
        },
      }),
      a('ping', {}),
      a('content_block_start', { index: 0, content_block: { type: 'thinking', thinking: '' } }),
      a('content_block_delta', { index: 0, delta: { type: 'thinking_delta', thinking: 'secret plan' } }),
      a('content_block_stop', { index: 0 }),
      a('content_block_start', { index: 1, content_block: { type: 'text', text: '' } }),
      a('content_block_delta', { index: 1, delta: { type: 'text_delta', text: 'Looking it up.' } }),
      a('content_block_stop', { index: 1 }),
      a('content_block_start', { index: 2, content_block: { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} } }),
      a('content_block_delta', { index: 2, delta: { type: 'input_json_delta', partial_json: '{"location":' } }),
      a('content_block_delta', { index: 2, delta: { type: 'input_json_delta', partial_json: '"Oslo"}' } }),
      a('content_block_stop', { index: 2 }),
      a('message_delta', { delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 17 } }),
      a('message_stop', {}),
    ];
    body = events.map((e) => t.push(e)).join('') + t.end();
    const client = new OpenAI({ apiKey: 'k', baseURL: url, maxRetries: 0 });
    const c = await client.chat.completions
      .stream({ model: 'alias', messages: [{ role: 'user', content: 'x' }], stream_options: { include_usage: true } })
      .finalChatCompletion();
    expect(c.choices[0]?.message.content).toBe('Looking it up.');
    expect(c.choices[0]?.message.tool_calls).toMatchObject([
      { id: 'toolu_1', function: { name: 'get_weather', arguments: '{"location":"Oslo"}' } },
    ]);
    expect(c.choices[0]?.finish_reason).toBe('tool_calls');
    expect(c.usage).toMatchObject({
      prompt_tokens: 2042,
      completion_tokens: 17,
      total_tokens: 2059,
      prompt_tokens_details: { cached_tokens: 2000 },
    });
  });

  it('OpenAI upstream (usage on the finish chunk) → Anthropic SDK: cache_read_input_tokens, input without the cache', async () => {
    const t = createStreamTranslator('openai', 'anthropic', { model: 'alias' });
    const usage = { prompt_tokens: 1500, completion_tokens: 4, total_tokens: 1504, prompt_tokens_details: { cached_tokens: 1280 } };
    const events = [
      o([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]),
      o([{ index: 0, delta: { content: 'Hello' }, finish_reason: null }]),
      o([{ index: 0, delta: { content: ' there' }, finish_reason: null }]),
      o([{ index: 0, delta: {}, finish_reason: 'stop' }], { usage }),
      { data: '[DONE]' },
    ];
    body = events.map((e) => t.push(e)).join('') + t.end();
    const client = new Anthropic({ apiKey: 'k', baseURL: url, maxRetries: 0 });
    const m = await client.messages.stream({ model: 'alias', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).finalMessage();
    expect(m.content).toEqual([{ type: 'text', text: 'Hello there' }]);
    expect(m.model).toBe('gpt-4o'); // the upstream's own name
    expect(m.stop_reason).toBe('end_turn');
    expect(m.usage).toMatchObject({ input_tokens: 220, output_tokens: 4, cache_read_input_tokens: 1280, cache_creation_input_tokens: 0 });
  });
});
