import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readChatStream, startGatewayHarness, type GatewayHarness } from './gateway-harness.int-support';

/**
 * The small incompatibilities of issue 13 (bug 4), each as the SDK or the raw request sends it:
 * `"stream": null`, OpenAI's error codes, one rule for the response `model`, input tokens in a
 * translated `message_start`, and no `usage` key in OpenAI chunks the client did not ask usage for.
 */
let h: GatewayHarness;
let anthropic: Anthropic;
let openai: OpenAI;

beforeAll(async () => {
  h = await startGatewayHarness();
  for (const provider of [
    { name: 'anthropic-eu', kind: 'ANTHROPIC', baseUrl: h.mock.url, apiKey: 'sk-ant-test-1234' },
    { name: 'vllm', kind: 'OPENAI_COMPATIBLE', baseUrl: `${h.mock.url}/openai`, apiKey: 'sk-vllm-test-5678' },
  ]) {
    const res = await h.owner.call('POST', `/api/v1/orgs/${h.org}/gateway/providers`, provider);
    if (res.status !== 201) throw new Error(`provider: ${res.status} ${JSON.stringify(res.body)}`);
  }
  await h.setRouting({
    models: {
      chat: { routes: [{ provider: 'mock', model: 'mock-smart' }] },
      claude: { routes: [{ provider: 'anthropic-eu', model: 'claude-haiku-4-5' }] },
      llama: { routes: [{ provider: 'vllm', model: 'llama-3.3-70b' }] },
    },
  });
  anthropic = new Anthropic({ apiKey: h.key, baseURL: h.url, maxRetries: 0 });
  openai = new OpenAI({ apiKey: h.key, baseURL: `${h.url}/v1`, maxRetries: 0 });
});
afterAll(async () => h?.close());

const post = (path: string, body: unknown, key = h.key) =>
  fetch(`${h.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** The JSON of every `data:` line of an SSE body but `[DONE]`. */
const chunksOf = (sse: string) =>
  sse
    .split('\n')
    .filter((l) => l.startsWith('data: ') && l !== 'data: [DONE]')
    .map((l) => JSON.parse(l.slice(6)) as Record<string, unknown>);

describe('"stream": null', () => {
  it('is accepted as "not streamed", as OpenAI accepts it, and never reaches the provider', async () => {
    const res = await post('/v1/chat/completions', { model: 'chat', stream: null, messages: [{ role: 'user', content: 'hi' }] });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content).toBe('Echo: hi');
    expect(h.mock.requests.at(-1)!.body).not.toHaveProperty('stream');
  });
});

describe('OpenAI error codes', () => {
  it('a refused key is 401 invalid_api_key in the body (the gateway\'s own code stays in x-slipway-error-code)', async () => {
    const bad = new OpenAI({ apiKey: 'sk-slw-made-up', baseURL: `${h.url}/v1`, maxRetries: 0 });
    const err = (await bad.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(err.code).toBe('invalid_api_key');
    expect(err.headers?.get('x-slipway-error-code')).toBe('key_invalid');
  });

  it('an unknown model is 404 model_not_found', async () => {
    const err = (await openai.chat.completions.create({ model: 'gpt-7-ultra', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect(err.code).toBe('model_not_found');
  });
});

describe('the response model is the model that served the call, same format or translated', () => {
  it('same format, whole and streamed', async () => {
    const whole = await openai.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] });
    expect(whole.model).toBe('mock-smart');
    const stream = await openai.chat.completions.create({ model: 'chat', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    for await (const chunk of stream) expect(chunk.model).toBe('mock-smart');
  });

  it('OpenAI SDK through an Anthropic provider, whole and streamed', async () => {
    const whole = await openai.chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: 'hi' }] });
    expect(whole.model).toBe('claude-haiku-4-5');
    const stream = await openai.chat.completions.create({ model: 'claude', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    for await (const chunk of stream) expect(chunk.model).toBe('claude-haiku-4-5');
  });

  it('Anthropic SDK through an OpenAI-compatible provider, whole and streamed', async () => {
    const whole = await anthropic.messages.create({ model: 'llama', max_tokens: 32, messages: [{ role: 'user', content: 'hi' }] });
    expect(whole.model).toBe('llama-3.3-70b');
    const streamed = await anthropic.messages.stream({ model: 'llama', max_tokens: 32, messages: [{ role: 'user', content: 'hi' }] }).finalMessage();
    expect(streamed.model).toBe('llama-3.3-70b');
  });
});

describe('translated Anthropic streams', () => {
  it('report input tokens in message_start, and the provider\'s exact usage at the end', async () => {
    const params = { model: 'llama', max_tokens: 32, messages: [{ role: 'user' as const, content: 'hello there my friend' }] };
    const whole = await anthropic.messages.create(params);
    const stream = anthropic.messages.stream(params);
    let started: number | undefined;
    stream.on('streamEvent', (e) => {
      if (e.type === 'message_start') started = e.message.usage.input_tokens;
    });
    const final = await stream.finalMessage();
    expect(started).toBeGreaterThan(0);
    expect(final.usage).toMatchObject({ input_tokens: whole.usage.input_tokens, output_tokens: whole.usage.output_tokens });
  });
});

describe('OpenAI streams and usage', () => {
  it('without include_usage no chunk has a usage key; with it every chunk has one, null but the last (as OpenAI documents)', async () => {
    const body = { model: 'chat', stream: true, messages: [{ role: 'user', content: 'hello there' }] };
    const plain = chunksOf(await (await post('/v1/chat/completions', body)).text());
    expect(plain.length).toBeGreaterThan(2);
    for (const chunk of plain) expect(chunk).not.toHaveProperty('usage');

    const counted = chunksOf(await (await post('/v1/chat/completions', { ...body, stream_options: { include_usage: true } })).text());
    expect(counted.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    expect(counted.at(-1)).toMatchObject({ choices: [], usage: { completion_tokens: 3 } });

    // The same from an Anthropic provider, translated.
    const translated = chunksOf(await (await post('/v1/chat/completions', { ...body, model: 'claude' })).text());
    for (const chunk of translated) expect(chunk).not.toHaveProperty('usage');
    const translatedCounted = chunksOf(await (await post('/v1/chat/completions', { ...body, model: 'claude', stream_options: { include_usage: true } })).text());
    expect(translatedCounted.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    expect(translatedCounted.at(-1)).toMatchObject({ choices: [], usage: { completion_tokens: 3 } });

    // The SDK reading a translated stream without include_usage sees no usage either.
    const { usage } = await readChatStream(await openai.chat.completions.create({ model: 'claude', stream: true, messages: [{ role: 'user', content: 'hi' }] }));
    expect(usage).toBeUndefined();
  });
});
