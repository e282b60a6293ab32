import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { countTokens, createMockLlmServer, type MockLlmServer } from './index';

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather',
    parameters: { type: 'object', properties: { location: { type: 'string' }, days: { type: 'integer' } } },
  },
};

describe('mock LLM provider through the official OpenAI SDK', () => {
  let mock: MockLlmServer;
  let client: OpenAI;
  beforeAll(async () => {
    mock = await createMockLlmServer({ apiKeys: ['sk-mock'], output: { lorem: 30 } });
    client = new OpenAI({ apiKey: 'sk-mock', baseURL: mock.openaiBaseUrl, maxRetries: 0 });
  });
  afterAll(() => mock.close());
  beforeEach(() => mock.reset());

  const ask = {
    model: 'mock-gpt-4o',
    messages: [
      { role: 'system' as const, content: 'be brief' },
      { role: 'user' as const, content: 'tell me something' },
    ],
  };

  it('answers deterministically with usage in OpenAI shape', async () => {
    const { data: a, response } = await client.chat.completions.create(ask).withResponse();
    expect(response.headers.get('x-mock-llm')).toBe('1');
    expect(a.object).toBe('chat.completion');
    expect(a.choices[0]).toMatchObject({ finish_reason: 'stop', message: { role: 'assistant' } });
    const text = a.choices[0]?.message.content ?? '';
    expect(countTokens(text)).toBe(30);
    expect(a.usage).toEqual({
      prompt_tokens: countTokens('be brief\ntell me something'),
      completion_tokens: 30,
      total_tokens: a.usage!.prompt_tokens + 30,
    });
    const b = await client.chat.completions.create(ask);
    expect(b.choices[0]?.message.content).toBe(text);
    const other = await client.chat.completions.create({ ...ask, messages: [{ role: 'user', content: 'something else' }] });
    expect(other.choices[0]?.message.content).not.toBe(text);
  });

  it('streams with include_usage: a final usage chunk with no choices, then [DONE]; text and usage equal non-streamed', async () => {
    const plain = await client.chat.completions.create(ask);
    const stream = await client.chat.completions.create({ ...ask, stream: true, stream_options: { include_usage: true } });
    let text = '';
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const c of stream) {
      chunks.push(c);
      text += c.choices[0]?.delta.content ?? '';
    }
    expect(text).toBe(plain.choices[0]?.message.content);
    const last = chunks[chunks.length - 1];
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toEqual(plain.usage);
    expect(chunks[chunks.length - 2]?.choices[0]?.finish_reason).toBe('stop');
    const raw = await (
      await fetch(`${mock.openaiBaseUrl}/chat/completions`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk-mock', 'content-type': 'application/json' },
        body: JSON.stringify({ ...ask, stream: true }),
      })
    ).text();
    expect(raw.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(raw).not.toContain('"usage"');
  });

  it('streams tool_calls whose argument deltas reassemble to valid JSON, and maps finish_reason', async () => {
    const q = { ...ask, tools: [weatherTool], messages: [{ role: 'user' as const, content: 'weather in Lisbon please' }] };
    const stream = await client.chat.completions.create({ ...q, stream: true });
    let args = '';
    let name = '';
    let id = '';
    let finish: string | null | undefined = null;
    for await (const c of stream) {
      const d = c.choices[0]?.delta.tool_calls?.[0];
      if (d?.id) id = d.id;
      if (d?.function?.name) name = d.function.name;
      args += d?.function?.arguments ?? '';
      finish = c.choices[0]?.finish_reason ?? finish;
    }
    expect(JSON.parse(args)).toEqual({ location: 'Lisbon', days: 1 });
    expect({ name, finish }).toEqual({ name: 'get_weather', finish: 'tool_calls' });
    const plain = await client.chat.completions.create(q);
    expect(plain.choices[0]?.message.tool_calls?.[0]).toMatchObject({ id, function: { name: 'get_weather', arguments: args } });
    const after = await client.chat.completions.create({
      ...q,
      messages: [...q.messages, plain.choices[0]!.message, { role: 'tool', tool_call_id: id, content: 'Rain' }],
    });
    expect(after.choices[0]?.finish_reason).toBe('stop');
    expect(after.choices[0]?.message.tool_calls).toBeUndefined();
  });

  it('maps max_tokens to finish_reason length', async () => {
    const a = await client.chat.completions.create({ ...ask, max_tokens: 5 });
    expect(a.choices[0]?.finish_reason).toBe('length');
    expect(a.usage?.completion_tokens).toBe(5);
  });

  it('rejects a wrong key with 401 in the OpenAI error shape', async () => {
    const bad = new OpenAI({ apiKey: 'sk-wrong', baseURL: mock.openaiBaseUrl, maxRetries: 0 });
    const err = await bad.chat.completions.create(ask).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(err).toMatchObject({ status: 401, code: 'invalid_api_key', type: 'invalid_request_error' });
    expect(mock.requests[0]).toMatchObject({ status: 401, apiKey: 'sk-wrong' });
  });

  it('lists models in OpenAI shape, and bad input gets a provider-shaped 400', async () => {
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(expect.arrayContaining(['mock-gpt-4o', 'mock-claude-sonnet']));
    expect(models.data[0]).toMatchObject({ object: 'model', owned_by: 'mock-llm' });
    const res = await fetch(`${mock.openaiBaseUrl}/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-mock', 'content-type': 'application/json' },
      body: '{"model": "mock-gpt-4o", ',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error', message: expect.stringMatching(/JSON/) } });
  });

  it('a mid-stream error chunk after HTTP 200 makes the SDK throw', async () => {
    mock.setFaults([{ fault: { kind: 'stream-error', afterTokens: 3, message: 'upstream broke' }, api: 'openai', count: 1 }]);
    const stream = await client.chat.completions.create({ ...ask, stream: true });
    let n = 0;
    const err = await (async () => {
      for await (const c of stream) n += c.choices[0]?.delta.content ? 1 : 0;
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(String(err)).toMatch(/upstream broke/);
    expect(n).toBe(3);
  });
});
