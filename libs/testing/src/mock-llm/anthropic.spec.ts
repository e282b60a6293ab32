import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { countTokens, createMockLlmServer, type MockLlmServer } from './index';

const weatherTool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  input_schema: {
    type: 'object' as const,
    properties: { location: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
    required: ['location'],
  },
};

describe('mock LLM provider through the official Anthropic SDK', () => {
  let mock: MockLlmServer;
  let client: Anthropic;
  beforeAll(async () => {
    mock = await createMockLlmServer({ apiKeys: ['sk-mock'] });
    client = new Anthropic({ apiKey: 'sk-mock', baseURL: mock.url, maxRetries: 2 });
  });
  afterAll(() => mock.close());
  beforeEach(() => mock.reset());

  const ask = { model: 'mock-claude-sonnet', max_tokens: 256, messages: [{ role: 'user' as const, content: 'hello there mock' }] };

  it('answers a message deterministically with usage, and records the request as sent', async () => {
    const { data: msg, response } = await client.messages.create(ask, { headers: { 'anthropic-beta': 'mock-beta-1' } }).withResponse();
    expect(response.headers.get('x-mock-llm')).toBe('1');
    expect(response.headers.get('request-id')).toMatch(/^req_mock_/);
    expect(msg.content).toEqual([{ type: 'text', text: 'Echo: hello there mock' }]);
    expect(msg.stop_reason).toBe('end_turn');
    expect(msg.usage).toMatchObject({ input_tokens: countTokens('hello there mock'), output_tokens: 4 });
    const again = await client.messages.create(ask);
    expect(again.content).toEqual(msg.content);
    const rec = mock.requests[0];
    expect(rec).toMatchObject({
      method: 'POST',
      path: '/v1/messages',
      api: 'anthropic',
      endpoint: 'messages',
      model: 'mock-claude-sonnet',
      stream: false,
      status: 200,
      apiKey: 'sk-mock',
    });
    expect(rec?.headers['anthropic-version']).toBeTruthy();
    expect(rec?.headers['anthropic-beta']).toBe('mock-beta-1');
    expect(rec?.headers).not.toHaveProperty('authorization');
  });

  it('passes unknown body fields through to the record untouched', async () => {
    await client.messages.create({ ...ask, metadata: { user_id: 'u1' } }, { body: { ...ask, future_field: { a: [1] } } as never });
    expect(mock.requests[0]?.body).toMatchObject({ future_field: { a: [1] } });
  });

  it('streams events in order with pings; text and final usage equal the non-streamed answer', async () => {
    const plain = await client.messages.create(ask);
    const events: string[] = [];
    let text = '';
    const stream = client.messages.stream(ask);
    stream.on('streamEvent', (e) => events.push(e.type));
    stream.on('text', (t) => (text += t));
    const final = await stream.finalMessage();
    expect(text).toBe('Echo: hello there mock');
    expect(final.content).toEqual(plain.content);
    expect(final.usage).toEqual(plain.usage);
    expect(final.stop_reason).toBe('end_turn');
    expect(events[0]).toBe('message_start');
    expect(events.slice(-2)).toEqual(['message_delta', 'message_stop']);
    expect(events.filter((e) => e === 'content_block_delta')).toHaveLength(4);
  });

  it('sends ping events on the wire, and stop sequences and max_tokens stop the answer', async () => {
    const res = await fetch(`${mock.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'sk-mock', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify({ ...ask, stream: true }),
    });
    const raw = await res.text();
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    expect(raw).toMatch(/event: message_start[\s\S]*event: ping[\s\S]*event: content_block_delta[\s\S]*event: message_stop/);
    const stopped = await client.messages.create({ ...ask, stop_sequences: ['there'] });
    expect(stopped).toMatchObject({ stop_reason: 'stop_sequence', stop_sequence: 'there', content: [{ text: 'Echo: hello' }] }); // trailing whitespace is never a token
    const cut = await client.messages.create({ ...ask, max_tokens: 2 });
    expect(cut).toMatchObject({ stop_reason: 'max_tokens', content: [{ text: 'Echo: hello' }], usage: { output_tokens: 2 } });
  });

  it('counts tokens as usage does', async () => {
    const counted = await client.messages.countTokens({ model: ask.model, messages: ask.messages, system: 'be brief' });
    const msg = await client.messages.create({ ...ask, system: 'be brief' });
    expect(counted.input_tokens).toBe(msg.usage.input_tokens);
    expect(counted.input_tokens).toBe(countTokens('be brief\nhello there mock'));
  });

  it('uses a tool when asked about the weather, streamed and not, and answers the tool result', async () => {
    const q = { ...ask, tools: [weatherTool], messages: [{ role: 'user' as const, content: 'What is the weather in Paris?' }] };
    const msg = await client.messages.create(q);
    expect(msg.stop_reason).toBe('tool_use');
    const use = msg.content.find((b) => b.type === 'tool_use');
    expect(use).toMatchObject({ type: 'tool_use', name: 'get_weather', input: { location: 'Paris', unit: 'celsius' } });
    const streamed = await client.messages.stream(q).finalMessage();
    expect(streamed.content).toEqual(msg.content);
    expect(streamed.usage).toEqual(msg.usage);
    if (use?.type !== 'tool_use') throw new Error('no tool_use');
    const answer = await client.messages.create({
      ...q,
      messages: [
        ...q.messages,
        { role: 'assistant', content: msg.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'Sunny, 21C' }] },
      ],
    });
    expect(answer).toMatchObject({ stop_reason: 'end_turn', content: [{ type: 'text', text: 'Echo: Sunny, 21C' }] });
  });

  it('a 429 with retry-after is retried by the SDK after that delay, then succeeds', async () => {
    mock.setFaults([{ fault: { kind: 'status', status: 429, retryAfter: 1 }, count: 1 }]);
    const t0 = Date.now();
    const msg = await client.messages.create(ask);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(msg.content).toEqual([{ type: 'text', text: 'Echo: hello there mock' }]);
    expect(mock.requests.map((r) => r.status)).toEqual([429, 200]);
    expect(mock.requests[1]?.headers['x-stainless-retry-count']).toBe('1');
  });

  it('a 529 is an OverloadedError with the Anthropic error body; x-should-retry: false stops retries', async () => {
    mock.setFaults([{ fault: { kind: 'status', status: 529, shouldRetry: false }, model: 'mock-claude-sonnet' }]);
    const err = await client.messages.create(ask).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect(err).toMatchObject({ status: 529, error: { type: 'error', error: { type: 'overloaded_error' } } });
    expect(mock.requests).toHaveLength(1);
    await expect(client.messages.create({ ...ask, model: 'mock-claude-haiku' })).resolves.toMatchObject({ model: 'mock-claude-haiku' });
  });

  it('a stream cut mid-answer makes the SDK throw (no clean end)', async () => {
    mock.setFaults([{ fault: { kind: 'stream-cut', afterTokens: 2 }, count: 1 }]);
    let text = '';
    const stream = client.messages.stream(ask, { maxRetries: 0 });
    stream.on('text', (t) => (text += t));
    await expect(stream.finalMessage()).rejects.toThrow();
    expect(text).toBe('Echo: hello');
  });

  it('an error event after HTTP 200 makes the SDK throw an overloaded error', async () => {
    mock.setFaults([{ fault: { kind: 'stream-error', afterTokens: 1 }, count: 1 }]);
    const err = await client.messages
      .stream(ask, { maxRetries: 0 })
      .finalMessage()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect(err).toMatchObject({ error: { error: { type: 'overloaded_error' } } });
    expect(mock.requests[0]).toMatchObject({ status: 200, fault: 'stream-error' });
  });

  it('rejects a wrong key with 401 authentication_error and lists models in Anthropic shape', async () => {
    const bad = new Anthropic({ apiKey: 'sk-wrong', baseURL: mock.url, maxRetries: 0 });
    await expect(bad.messages.create(ask)).rejects.toMatchObject({ status: 401, error: { error: { type: 'authentication_error' } } });
    const page = await client.models.list();
    expect(page.data.map((m) => m.id)).toContain('mock-claude-sonnet');
    expect(page.data[0]).toMatchObject({ type: 'model' });
  });
});
