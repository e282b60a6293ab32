import { describe, expect, it } from 'vitest';
import { anthropicRequestToOpenAI } from './request-to-openai';
import { openaiRequestToAnthropic } from './request-to-anthropic';

const user = (content: unknown) => ({ role: 'user', content });
const tool = {
  name: 'get_weather',
  description: 'Weather now',
  input_schema: { type: 'object', properties: { city: { type: 'string' } } },
};

describe('anthropicRequestToOpenAI', () => {
  it('maps a plain request with a string system prompt, using the provider model id', () => {
    const out = anthropicRequestToOpenAI({ model: 'claude-x', max_tokens: 100, system: 'Be brief.', messages: [user('hi')] }, 'gpt-4o');
    expect(out).toEqual({
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hi' },
      ],
      max_completion_tokens: 100,
    });
  });

  it('joins a system prompt given as blocks (cache_control has no OpenAI meaning)', () => {
    const system = [
      { type: 'text', text: 'You are a bot.' },
      { type: 'text', text: 'Answer in French.', cache_control: { type: 'ephemeral' } },
    ];
    const out = anthropicRequestToOpenAI({ system, messages: [user('hi')], max_tokens: 5 }, 'm');
    expect(out.messages).toEqual([
      { role: 'system', content: 'You are a bot.\n\nAnswer in French.' },
      { role: 'user', content: 'hi' },
    ]);
  });

  it('keeps a multi-turn conversation in order, text blocks and thinking handled', () => {
    const messages = [
      user([{ type: 'text', text: 'What is 2+2?' }]),
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'easy', signature: 'sig' },
          { type: 'text', text: '4' },
        ],
      },
      user('And 3+3?'),
    ];
    expect(anthropicRequestToOpenAI({ messages }, 'm').messages).toEqual([
      { role: 'user', content: 'What is 2+2?' },
      { role: 'assistant', content: '4' },
      { role: 'user', content: 'And 3+3?' },
    ]);
  });

  it('maps tools, tool_use blocks and several tool results (as ordered tool messages before the user text)', () => {
    const messages = [
      user('Weather in Paris and Rome?'),
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: { city: 'Rome' } },
        ],
      },
      user([
        { type: 'tool_result', tool_use_id: 'toolu_1', content: 'Sunny' },
        { type: 'tool_result', tool_use_id: 'toolu_2', content: [{ type: 'text', text: 'Rain' }], is_error: true },
        { type: 'text', text: 'Summarise.' },
      ]),
    ];
    const out = anthropicRequestToOpenAI({ messages, tools: [tool], tool_choice: { type: 'auto', disable_parallel_tool_use: true } }, 'm');
    expect(out.tools).toEqual([
      { type: 'function', function: { name: 'get_weather', description: 'Weather now', parameters: tool.input_schema } },
    ]);
    expect(out.tool_choice).toBe('auto');
    expect(out.parallel_tool_calls).toBe(false);
    expect(out.messages).toEqual([
      { role: 'user', content: 'Weather in Paris and Rome?' },
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [
          { id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'toolu_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'toolu_1', content: 'Sunny' },
      { role: 'tool', tool_call_id: 'toolu_2', content: 'Error: Rain' },
      { role: 'user', content: 'Summarise.' },
    ]);
  });

  it('gives an assistant turn that only calls tools a null content', () => {
    const messages = [{ role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'f', input: {} }] }];
    expect(anthropicRequestToOpenAI({ messages }, 'm').messages).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '{}' } }] },
    ]);
  });

  it.each([
    [{ type: 'auto' }, 'auto'],
    [{ type: 'any' }, 'required'],
    [{ type: 'none' }, 'none'],
    [
      { type: 'tool', name: 'get_weather' },
      { type: 'function', function: { name: 'get_weather' } },
    ],
  ])('maps tool_choice %j', (choice, expected) => {
    expect(anthropicRequestToOpenAI({ messages: [], tools: [tool], tool_choice: choice }, 'm').tool_choice).toEqual(expected);
  });

  it('drops server tools, and tool_choice with them when no client tool is left', () => {
    const out = anthropicRequestToOpenAI(
      { messages: [], tools: [{ type: 'web_search_20250305', name: 'web_search' }], tool_choice: { type: 'any' } },
      'm',
    );
    expect(out).not.toHaveProperty('tools');
    expect(out).not.toHaveProperty('tool_choice');
  });

  it('maps images (base64 and URL) and documents to content parts; images in tool results follow as user content', () => {
    const messages = [
      user([
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBOR' } },
        { type: 'image', source: { type: 'url', url: 'https://x.test/cat.jpg' } },
        { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBER' }, title: 'a.pdf' },
        { type: 'text', text: 'Describe.' },
      ]),
      user([{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'image', source: { type: 'url', url: 'https://x.test/p.png' } }] }]),
    ];
    expect(anthropicRequestToOpenAI({ messages }, 'm').messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBOR' } },
          { type: 'image_url', image_url: { url: 'https://x.test/cat.jpg' } },
          { type: 'file', file: { filename: 'a.pdf', file_data: 'data:application/pdf;base64,JVBER' } },
          { type: 'text', text: 'Describe.' },
        ],
      },
      { role: 'tool', tool_call_id: 't', content: '' },
      { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x.test/p.png' } }] },
    ]);
  });

  it('maps sampling, stop sequences, user id and streaming (always asking for usage); drops unknown fields', () => {
    const body = {
      messages: [user('hi')],
      max_tokens: 50,
      temperature: 0.2,
      top_p: 0.9,
      top_k: 5,
      stop_sequences: ['END', 'STOP'],
      metadata: { user_id: 'cust-7' },
      stream: true,
      thinking: { type: 'enabled', budget_tokens: 1000 },
      service_tier: 'auto',
      some_future_field: 1,
    };
    expect(anthropicRequestToOpenAI(body, 'm', { maxTokensField: 'max_tokens' })).toEqual({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 50,
      temperature: 0.2,
      top_p: 0.9,
      stop: ['END', 'STOP'],
      user: 'cust-7',
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('survives a round trip through the OpenAI shape (tools conversation)', () => {
    const original = {
      model: 'm',
      max_tokens: 64,
      system: 'sys',
      messages: [
        user('weather?'),
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Oslo' } }] },
        user([{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'Snow' }]),
      ],
      tools: [tool],
      tool_choice: { type: 'tool', name: 'get_weather' },
      stop_sequences: ['X'],
    };
    expect(openaiRequestToAnthropic(anthropicRequestToOpenAI(original, 'gpt'), 'm')).toEqual(original);
  });
});
