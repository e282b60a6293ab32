import { describe, expect, it } from 'vitest';
import { openaiRequestToAnthropic } from './request-to-anthropic';

const fn = { name: 'get_weather', description: 'Weather now', parameters: { type: 'object', properties: { city: { type: 'string' } } } };

describe('openaiRequestToAnthropic', () => {
  it('maps a plain request: system message to system, default max_tokens 4096, provider model id', () => {
    const out = openaiRequestToAnthropic(
      {
        model: 'gpt-4o',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'hi' },
        ],
      },
      'claude-sonnet',
    );
    expect(out).toEqual({ model: 'claude-sonnet', max_tokens: 4096, system: 'Be brief.', messages: [{ role: 'user', content: 'hi' }] });
  });

  it('prefers max_completion_tokens, then max_tokens', () => {
    expect(openaiRequestToAnthropic({ messages: [], max_tokens: 10 }, 'm').max_tokens).toBe(10);
    expect(openaiRequestToAnthropic({ messages: [], max_tokens: 10, max_completion_tokens: 20 }, 'm').max_tokens).toBe(20);
  });

  it('collects several system/developer messages (string or parts) as system blocks', () => {
    const out = openaiRequestToAnthropic(
      {
        messages: [
          { role: 'system', content: [{ type: 'text', text: 'A' }] },
          { role: 'developer', content: 'B' },
          { role: 'user', content: 'hi' },
        ],
      },
      'm',
    );
    expect(out.system).toEqual([
      { type: 'text', text: 'A' },
      { type: 'text', text: 'B' },
    ]);
  });

  it('keeps a multi-turn conversation in order', () => {
    const messages = [
      { role: 'user', content: 'What is 2+2?' },
      { role: 'assistant', content: '4' },
      { role: 'user', content: [{ type: 'text', text: 'And 3+3?' }] },
    ];
    expect(openaiRequestToAnthropic({ messages }, 'm').messages).toEqual([
      { role: 'user', content: 'What is 2+2?' },
      { role: 'assistant', content: [{ type: 'text', text: '4' }] },
      { role: 'user', content: [{ type: 'text', text: 'And 3+3?' }] },
    ]);
  });

  it('maps tool calls and tool messages: consecutive results and the next user text share one user turn', () => {
    const messages = [
      { role: 'user', content: 'Weather in Paris and Rome?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{not json' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'Sunny' },
      { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: 'Rain' }] },
      { role: 'user', content: 'Summarise.' },
    ];
    const out = openaiRequestToAnthropic({ messages, tools: [{ type: 'function', function: fn }], tool_choice: 'auto' }, 'm');
    expect(out.tools).toEqual([{ name: 'get_weather', description: 'Weather now', input_schema: fn.parameters }]);
    expect(out.tool_choice).toEqual({ type: 'auto' });
    expect(out.messages).toEqual([
      { role: 'user', content: 'Weather in Paris and Rome?' },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'call_2', name: 'get_weather', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: 'Sunny' },
          { type: 'tool_result', tool_use_id: 'call_2', content: [{ type: 'text', text: 'Rain' }] },
          { type: 'text', text: 'Summarise.' },
        ],
      },
    ]);
  });

  it.each([
    ['auto', { type: 'auto' }],
    ['required', { type: 'any' }],
    ['none', { type: 'none' }],
    [
      { type: 'function', function: { name: 'get_weather' } },
      { type: 'tool', name: 'get_weather' },
    ],
  ])('maps tool_choice %j', (choice, expected) => {
    expect(
      openaiRequestToAnthropic({ messages: [], tools: [{ type: 'function', function: fn }], tool_choice: choice }, 'm').tool_choice,
    ).toEqual(expected);
  });

  it('maps parallel_tool_calls: false and legacy functions/function_call', () => {
    const out = openaiRequestToAnthropic(
      { messages: [], functions: [fn], function_call: { name: 'get_weather' }, parallel_tool_calls: false },
      'm',
    );
    expect(out.tools).toEqual([{ name: 'get_weather', description: 'Weather now', input_schema: fn.parameters }]);
    expect(out.tool_choice).toEqual({ type: 'tool', name: 'get_weather', disable_parallel_tool_use: true });
  });

  it('gives a tool without parameters an empty object schema, and drops tool_choice without tools', () => {
    expect(openaiRequestToAnthropic({ messages: [], tools: [{ type: 'function', function: { name: 'now' } }] }, 'm').tools).toEqual([
      { name: 'now', input_schema: { type: 'object', properties: {} } },
    ]);
    expect(openaiRequestToAnthropic({ messages: [], tool_choice: 'required' }, 'm')).not.toHaveProperty('tool_choice');
  });

  it('maps image_url parts (data URL → base64, http → url) and PDF file parts', () => {
    const content = [
      { type: 'text', text: 'Describe.' },
      { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4A', detail: 'high' } },
      { type: 'image_url', image_url: { url: 'https://x.test/cat.png' } },
      { type: 'file', file: { filename: 'a.pdf', file_data: 'data:application/pdf;base64,JVBER' } },
      { type: 'input_audio', input_audio: { data: 'x', format: 'wav' } },
    ];
    expect(openaiRequestToAnthropic({ messages: [{ role: 'user', content }] }, 'm').messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Describe.' },
          { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4A' } },
          { type: 'image', source: { type: 'url', url: 'https://x.test/cat.png' } },
          { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBER' } },
        ],
      },
    ]);
  });

  it('maps stop (string or list), sampling (temperature clamped to 1), user and stream; drops the rest', () => {
    const base = { messages: [{ role: 'user', content: 'hi' }] };
    expect(openaiRequestToAnthropic({ ...base, stop: 'END' }, 'm').stop_sequences).toEqual(['END']);
    const out = openaiRequestToAnthropic(
      {
        ...base,
        stop: ['A', 'B'],
        temperature: 1.6,
        top_p: 0.5,
        user: 'cust-7',
        stream: true,
        stream_options: { include_usage: true },
        n: 1,
        presence_penalty: 0.5,
        response_format: { type: 'json_object' },
        seed: 3,
        logprobs: true,
      },
      'm',
    );
    expect(out).toEqual({
      model: 'm',
      max_tokens: 4096,
      messages: base.messages,
      stop_sequences: ['A', 'B'],
      temperature: 1,
      top_p: 0.5,
      metadata: { user_id: 'cust-7' },
      stream: true,
    });
  });

  it('drops an assistant turn with no content and no tool calls rather than sending an empty one', () => {
    const messages = [
      { role: 'user', content: 'a' },
      { role: 'assistant', content: '' },
      { role: 'user', content: 'b' },
    ];
    expect(openaiRequestToAnthropic({ messages }, 'm').messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ],
      },
    ]);
  });
});
