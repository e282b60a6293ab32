import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readChatStream, startGatewayHarness, type GatewayHarness } from './gateway-harness.int-support';

/**
 * Either SDK reaching either kind of provider: the OpenAI SDK through an Anthropic provider and
 * the Anthropic SDK through an OpenAI-compatible one (both played by the mock, which records
 * the wire format it was spoken to in).
 */
let h: GatewayHarness;
let anthropic: Anthropic;
let openai: OpenAI;
const weatherSchema = { type: 'object' as const, properties: { location: { type: 'string' } }, required: ['location'] };

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
      claude: { routes: [{ provider: 'anthropic-eu', model: 'claude-haiku-4-5' }] },
      llama: { routes: [{ provider: 'vllm', model: 'llama-3.3-70b' }] },
    },
  });
  anthropic = new Anthropic({ apiKey: h.key, baseURL: h.url, maxRetries: 0 });
  openai = new OpenAI({ apiKey: h.key, baseURL: `${h.url}/v1`, maxRetries: 0 });
});
afterAll(async () => h?.close());

describe('OpenAI SDK → Anthropic provider', () => {
  it('translates messages, system prompt and usage, streamed or not', async () => {
    const params = { model: 'claude', max_tokens: 64, messages: [{ role: 'system' as const, content: 'Be brief.' }, { role: 'user' as const, content: 'hello there' }] };
    const whole = await openai.chat.completions.create(params);
    expect(whole.choices[0]!.message.content).toBe('Echo: hello there');
    expect(whole.model).toBe('claude-haiku-4-5'); // the served model, as the provider names it (docs/gateway.md)
    const seen = h.mock.requests.at(-1)!;
    expect(seen.path).toBe('/v1/messages');
    expect(seen.headers['anthropic-version']).toBe('2023-06-01');
    expect(seen.apiKey).toBe('sk-ant-test-1234');
    expect(seen.body).toMatchObject({ model: 'claude-haiku-4-5', system: 'Be brief.', max_tokens: 64 });

    const stream = await openai.chat.completions.create({ ...params, stream: true, stream_options: { include_usage: true } });
    const { text, usage } = await readChatStream(stream);
    expect(text).toBe('Echo: hello there');
    expect(usage).toMatchObject({ prompt_tokens: whole.usage!.prompt_tokens, completion_tokens: whole.usage!.completion_tokens });
  });

  it('runs tools and tool results across the formats', async () => {
    const tools = [{ type: 'function' as const, function: { name: 'get_weather', description: 'Weather', parameters: weatherSchema } }];
    const first = await openai.chat.completions.create({ model: 'claude', tools, messages: [{ role: 'user', content: 'weather in Lisbon?' }] });
    expect(first.choices[0]!.finish_reason).toBe('tool_calls');
    const call = first.choices[0]!.message.tool_calls![0]!;
    expect(call.type === 'function' && JSON.parse(call.function.arguments)).toEqual({ location: 'Lisbon' });
    const second = await openai.chat.completions.create({ model: 'claude', tools, messages: [{ role: 'user', content: 'weather in Lisbon?' }, first.choices[0]!.message, { role: 'tool', tool_call_id: call.id, content: 'Windy, 18' }] });
    expect(second.choices[0]!.message.content).toContain('Windy, 18');
    expect(h.mock.requests.at(-1)!.body).toMatchObject({ messages: expect.arrayContaining([expect.objectContaining({ role: 'user', content: [expect.objectContaining({ type: 'tool_result', tool_use_id: call.id })] })]) });
  });
});

describe('Anthropic SDK → OpenAI-compatible provider', () => {
  it('translates a message, streamed or not', async () => {
    const params = { model: 'llama', max_tokens: 64, system: 'Be brief.', messages: [{ role: 'user' as const, content: 'hello there' }] };
    const whole = await anthropic.messages.create(params);
    expect(whole.content).toEqual([{ type: 'text', text: 'Echo: hello there' }]);
    expect(whole.stop_reason).toBe('end_turn');
    const seen = h.mock.requests.at(-1)!;
    expect(seen.path).toBe('/openai/v1/chat/completions');
    expect(seen.apiKey).toBe('sk-vllm-test-5678');
    expect(seen.body).toMatchObject({ model: 'llama-3.3-70b', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hello there' }] });

    const streamed = await anthropic.messages.stream(params).finalMessage();
    expect(streamed.content).toEqual(whole.content);
    expect(streamed.usage.output_tokens).toBe(whole.usage.output_tokens);
    expect(streamed.usage.input_tokens).toBe(whole.usage.input_tokens);
  });

  it('runs tools and tool results across the formats, streamed', async () => {
    const tools = [{ name: 'get_weather', description: 'Weather', input_schema: weatherSchema }];
    const first = await anthropic.messages.stream({ model: 'llama', max_tokens: 64, tools, messages: [{ role: 'user', content: 'weather in Kyoto?' }] }).finalMessage();
    expect(first.stop_reason).toBe('tool_use');
    const call = first.content.find((b) => b.type === 'tool_use');
    expect(call).toMatchObject({ name: 'get_weather', input: { location: 'Kyoto' } });
    const second = await anthropic.messages.create({
      model: 'llama',
      max_tokens: 64,
      tools,
      messages: [
        { role: 'user', content: 'weather in Kyoto?' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: call!.type === 'tool_use' ? call!.id : '', content: 'Rain, 12' }] },
      ],
    });
    expect(second.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining('Rain, 12') });
  });
});
