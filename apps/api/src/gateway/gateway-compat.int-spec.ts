import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readChatStream, startGatewayHarness, type GatewayHarness } from './gateway-harness.int-support';

/**
 * The official SDKs, unchanged, against the gateway (real api, Postgres, Redis) with the mock
 * provider upstream: what a user's app does with ANTHROPIC_BASE_URL / OPENAI_BASE_URL set.
 */
let h: GatewayHarness;
let anthropic: Anthropic;
let openai: OpenAI;
const weather = { name: 'get_weather', description: 'Weather in a city', input_schema: { type: 'object' as const, properties: { location: { type: 'string' } }, required: ['location'] } };

beforeAll(async () => {
  h = await startGatewayHarness();
  await h.setRouting({
    models: {
      chat: { routes: [{ provider: 'mock', model: 'mock-smart' }] },
      strict: { routes: [{ provider: 'mock', model: 'mock-strict', maxAttempts: 1 }], fallbackOn: [] },
    },
    catalog: { 'mock/mock-strict': { contextWindow: 100_000, tools: true, vision: false, streaming: true, prices: { input: 1, output: 2 } } },
  });
  anthropic = new Anthropic({ apiKey: h.key, baseURL: h.url, maxRetries: 0 });
  openai = new OpenAI({ apiKey: h.key, baseURL: `${h.url}/v1`, maxRetries: 0 });
});
afterAll(async () => h?.close());
beforeEach(() => h.mock.setFaults([]));

describe('Anthropic SDK through the gateway', () => {
  it('answers a plain message with usage and the gateway headers', async () => {
    const { data, response } = await anthropic.messages.create({ model: 'chat', max_tokens: 64, messages: [{ role: 'user', content: 'hello there' }] }).withResponse();
    expect(data.content).toEqual([{ type: 'text', text: 'Echo: hello there' }]);
    expect(data.stop_reason).toBe('end_turn');
    expect(data.usage.output_tokens).toBe(3);
    expect(response.headers.get('x-slipway-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('x-slipway-provider')).toBe('mock');
    expect(response.headers.get('x-slipway-model')).toBe('mock-smart');
    const seen = h.mock.requests.at(-1)!;
    expect(seen.body).toMatchObject({ model: 'mock-smart' });
  });

  it('streams the same answer and usage as the non-streamed call, pings included', async () => {
    const params = { model: 'chat', max_tokens: 64, system: 'Be brief.', messages: [{ role: 'user' as const, content: 'tell me a story about boats' }] };
    const whole = await anthropic.messages.create(params);
    const events: string[] = [];
    const stream = anthropic.messages.stream(params).on('streamEvent', (e) => events.push(e.type));
    const streamed = await stream.finalMessage();
    expect(streamed.content).toEqual(whole.content);
    expect(streamed.usage).toEqual(whole.usage);
    expect(events[0]).toBe('message_start');
    expect(events.at(-1)).toBe('message_stop');
    // The SDK hides pings; a raw client sees them forwarded.
    const raw = await fetch(`${h.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': h.key, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify({ ...params, stream: true }),
    });
    expect(raw.headers.get('content-type')).toContain('text/event-stream');
    expect(await raw.text()).toContain('event: ping');
  });

  it('forwards unknown body fields and anthropic-* headers untouched', async () => {
    await anthropic.messages.create(
      { model: 'chat', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }], ...({ future_field: { a: 1 } } as object) },
      { headers: { 'anthropic-beta': 'future-feature-2026-01-01' } },
    );
    const seen = h.mock.requests.at(-1)!;
    expect(seen.body).toMatchObject({ future_field: { a: 1 } });
    expect(seen.headers['anthropic-beta']).toBe('future-feature-2026-01-01');
    expect(seen.headers['anthropic-version']).toBeDefined();
  });

  it('runs a tool round trip over several turns, with stop sequences', async () => {
    const first = await anthropic.messages.create({ model: 'chat', max_tokens: 128, tools: [weather], messages: [{ role: 'user', content: 'What is the weather in Paris?' }] });
    expect(first.stop_reason).toBe('tool_use');
    const call = first.content.find((b) => b.type === 'tool_use')!;
    expect(call).toMatchObject({ name: 'get_weather', input: { location: 'Paris' } });
    const second = await anthropic.messages.create({
      model: 'chat',
      max_tokens: 128,
      tools: [weather],
      messages: [
        { role: 'user', content: 'What is the weather in Paris?' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.type === 'tool_use' ? call.id : '', content: 'Sunny and 21 degrees' }] },
      ],
    });
    expect(second.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining('Sunny and 21 degrees') });
    const stopped = await anthropic.messages.create({ model: 'chat', max_tokens: 64, stop_sequences: ['there'], messages: [{ role: 'user', content: 'hello there friend' }] });
    expect(stopped).toMatchObject({ stop_reason: 'stop_sequence', stop_sequence: 'there', content: [{ text: 'Echo: hello' }] });
  });

  it('counts tokens and lists models (aliases first)', async () => {
    const counted = await anthropic.messages.countTokens({ model: 'chat', messages: [{ role: 'user', content: 'hello there' }] });
    expect(counted.input_tokens).toBeGreaterThan(0);
    const models = await anthropic.models.list();
    expect(models.data.map((m) => m.id).slice(0, 2)).toEqual(['chat', 'strict']);
  });

  it('gets 401 for a bad key, and 529 overloaded when the provider is overloaded and nothing can fall back', async () => {
    const bad = new Anthropic({ apiKey: 'sk-slw-wrong', baseURL: h.url, maxRetries: 0 });
    await expect(bad.messages.create({ model: 'chat', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] })).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
    h.mock.setFaults([{ fault: { kind: 'status', status: 529 }, count: 1 }]);
    const err = await anthropic.messages.create({ model: 'strict', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect((err as InstanceType<typeof Anthropic.APIError>).status).toBe(529);
    expect((err as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
  });

  it('relays a 429 with retry-after that the SDK honours before succeeding', async () => {
    h.mock.setFaults([{ fault: { kind: 'status', status: 429, retryAfter: 1 }, count: 1 }]);
    const patient = new Anthropic({ apiKey: h.key, baseURL: h.url, maxRetries: 1 });
    const t0 = performance.now();
    const answer = await patient.messages.create({ model: 'strict', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] });
    expect(answer.content[0]).toMatchObject({ text: 'Echo: hi' });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(950);
  });
});

describe('OpenAI SDK through the gateway', () => {
  it('answers a chat completion, streamed or not, with identical usage', async () => {
    const params = { model: 'chat', messages: [{ role: 'system' as const, content: 'Be brief.' }, { role: 'user' as const, content: 'hello there' }] };
    const whole = await openai.chat.completions.create(params);
    expect(whole.choices[0]!.message.content).toBe('Echo: hello there');
    expect(whole.choices[0]!.finish_reason).toBe('stop');
    const stream = await openai.chat.completions.create({ ...params, stream: true, stream_options: { include_usage: true } });
    const { text, usage } = await readChatStream(stream);
    expect(text).toBe('Echo: hello there');
    expect(usage).toEqual(whole.usage);
  });

  it('does not send a usage chunk the client did not ask for', async () => {
    const stream = await openai.chat.completions.create({ model: 'chat', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.every((c) => c.choices.length === 1)).toBe(true);
    expect(h.mock.requests.at(-1)!.body).toMatchObject({ stream_options: { include_usage: true } });
  });

  it('runs a tool call round trip and honours stop', async () => {
    const tools = [{ type: 'function' as const, function: { name: weather.name, description: weather.description, parameters: weather.input_schema } }];
    const first = await openai.chat.completions.create({ model: 'chat', tools, messages: [{ role: 'user', content: 'weather in Oslo?' }] });
    const call = first.choices[0]!.message.tool_calls![0]!;
    expect(first.choices[0]!.finish_reason).toBe('tool_calls');
    expect(call.type === 'function' && JSON.parse(call.function.arguments)).toEqual({ location: 'Oslo' });
    const second = await openai.chat.completions.create({
      model: 'chat',
      tools,
      messages: [{ role: 'user', content: 'weather in Oslo?' }, first.choices[0]!.message, { role: 'tool', tool_call_id: call.id, content: 'Snow, -3' }],
    });
    expect(second.choices[0]!.message.content).toContain('Snow, -3');
    const stopped = await openai.chat.completions.create({ model: 'chat', stop: ['there'], messages: [{ role: 'user', content: 'hello there friend' }] });
    expect(stopped.choices[0]!.message.content).toBe('Echo: hello');
  });

  it('gets 401 for a bad key and a 429 with retry-after it honours', async () => {
    const bad = new OpenAI({ apiKey: 'sk-slw-wrong', baseURL: `${h.url}/v1`, maxRetries: 0 });
    await expect(bad.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    h.mock.setFaults([{ fault: { kind: 'status', status: 429, retryAfter: 1 }, count: 1 }]);
    const patient = new OpenAI({ apiKey: h.key, baseURL: `${h.url}/v1`, maxRetries: 1 });
    const t0 = performance.now();
    const answer = await patient.chat.completions.create({ model: 'strict', messages: [{ role: 'user', content: 'hi' }] });
    expect(answer.choices[0]!.message.content).toBe('Echo: hi');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(950);
  });
});
