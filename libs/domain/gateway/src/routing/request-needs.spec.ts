import { describe, expect, it } from 'vitest';
import { requestNeeds } from './request-needs';

const weatherTool = {
  name: 'get_weather',
  description: 'Weather',
  input_schema: { type: 'object', properties: { city: { type: 'string' } } },
};
const pixel = 'iVBORw0KGgo'.repeat(50_000);

describe('requestNeeds on the Anthropic wire', () => {
  it('reads a plain request', () => {
    const needs = requestNeeds('anthropic', {
      model: 'x',
      max_tokens: 300,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Hello there' }],
    });
    expect(needs).toEqual({ tools: false, vision: false, inputTokensEstimate: expect.any(Number), maxOutputTokens: 300, stream: false });
    expect(needs.inputTokensEstimate).toBeGreaterThan(5);
    expect(needs.inputTokensEstimate).toBeLessThan(40);
  });

  it('needs tools for tool definitions, and for tool calls or results in the conversation', () => {
    expect(requestNeeds('anthropic', { tools: [weatherTool], messages: [] }).tools).toBe(true);
    expect(requestNeeds('anthropic', { tools: [], messages: [] }).tools).toBe(false);
    const history = [
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'get_weather', input: { city: 'Paris' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'Sunny' }] },
    ];
    expect(requestNeeds('anthropic', { messages: history }).tools).toBe(true);
  });

  it('needs vision for an image or a PDF, counting each as a fixed number of tokens, not its base64 size', () => {
    const image = { type: 'image', source: { type: 'base64', media_type: 'image/png', data: pixel } };
    const needs = requestNeeds('anthropic', { messages: [{ role: 'user', content: [image, { type: 'text', text: 'What is this?' }] }] });
    expect(needs.vision).toBe(true);
    expect(needs.inputTokensEstimate).toBeGreaterThan(1_000);
    expect(needs.inputTokensEstimate).toBeLessThan(2_000);
    const pdf = { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: pixel } };
    expect(requestNeeds('anthropic', { messages: [{ role: 'user', content: [pdf] }] }).vision).toBe(true);
    const text = { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'notes' } };
    expect(requestNeeds('anthropic', { messages: [{ role: 'user', content: [text] }] }).vision).toBe(false);
  });

  it('estimates long input as about a quarter of its characters', () => {
    const needs = requestNeeds('anthropic', { max_tokens: 10, messages: [{ role: 'user', content: 'word '.repeat(4_000) }] });
    expect(needs.inputTokensEstimate).toBeGreaterThanOrEqual(5_000);
    expect(needs.inputTokensEstimate).toBeLessThan(5_100);
  });

  it('reads stream: true, and nothing from fields of the wrong type', () => {
    expect(requestNeeds('anthropic', { stream: true, messages: [] }).stream).toBe(true);
    expect(requestNeeds('anthropic', { stream: 'yes', max_tokens: '100', messages: 'hi' })).toMatchObject({
      stream: false,
      maxOutputTokens: 0,
      tools: false,
    });
  });
});

describe('requestNeeds on the OpenAI wire', () => {
  it('reads max_completion_tokens before max_tokens, and 0 when neither is given', () => {
    expect(requestNeeds('openai', { max_completion_tokens: 50, max_tokens: 9, messages: [] }).maxOutputTokens).toBe(50);
    expect(requestNeeds('openai', { max_tokens: 9, messages: [] }).maxOutputTokens).toBe(9);
    expect(requestNeeds('openai', { messages: [] }).maxOutputTokens).toBe(0);
  });

  it('needs tools for tools, legacy functions, tool calls and tool messages', () => {
    const fn = { type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } };
    expect(requestNeeds('openai', { tools: [fn], messages: [] }).tools).toBe(true);
    expect(requestNeeds('openai', { functions: [fn.function], messages: [] }).tools).toBe(true);
    const call = {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{}' } }],
    };
    expect(requestNeeds('openai', { messages: [{ role: 'user', content: 'hi' }, call] }).tools).toBe(true);
    expect(requestNeeds('openai', { messages: [{ role: 'tool', tool_call_id: 'c1', content: 'Sunny' }] }).tools).toBe(true);
    expect(requestNeeds('openai', { messages: [{ role: 'user', content: 'What is a tool?' }] }).tools).toBe(false);
  });

  it('needs vision for an image_url part', () => {
    const content = [
      { type: 'text', text: 'What is this?' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${pixel}` } },
    ];
    const needs = requestNeeds('openai', { messages: [{ role: 'user', content }] });
    expect(needs.vision).toBe(true);
    expect(needs.inputTokensEstimate).toBeLessThan(2_000);
  });
});

describe('requestNeeds on any body', () => {
  it('estimates about what the JSON of the conversation measures, without serializing it', () => {
    const messages = [{ role: 'user', content: [{ type: 'text', text: 'x'.repeat(3_000) }] }, { role: 'assistant', content: 'y'.repeat(1_000) }];
    const needs = requestNeeds('anthropic', { messages, system: 'z'.repeat(1_000) });
    const jsonChars = JSON.stringify({ messages, system: 'z'.repeat(1_000) }).length;
    expect(Math.abs(needs.inputTokensEstimate - jsonChars / 4)).toBeLessThan(30);
  });

  it('walks any nesting depth without overflowing the stack', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(requestNeeds('openai', { messages: [{ role: 'user', content: deep }] }).inputTokensEstimate).toBeGreaterThan(100_000);
  });
});
