import { describe, expect, it } from 'vitest';
import { anthropicResponseToOpenAI, openaiResponseToAnthropic } from './responses';
import { usageFromAnthropic, usageFromOpenAI } from './usage';

const anthropicMessage = (over: Record<string, unknown> = {}) => ({
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-5',
  content: [{ type: 'text', text: 'Hello!' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 10, output_tokens: 3, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
  ...over,
});

const completion = (message: Record<string, unknown>, finish: string | null, usage?: Record<string, unknown>) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-4o-2024',
  choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: finish }],
  usage: usage ?? { prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 },
});

describe('anthropicResponseToOpenAI', () => {
  it('maps text, names the served model, and reports usage with prompt_tokens including the cache', () => {
    const out = anthropicResponseToOpenAI(
      anthropicMessage({ usage: { input_tokens: 10, output_tokens: 3, cache_read_input_tokens: 100, cache_creation_input_tokens: 20 } }),
      'my-alias',
    );
    expect(out).toMatchObject({
      id: 'msg_1',
      object: 'chat.completion',
      model: 'claude-sonnet-4-5',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello!' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 130, completion_tokens: 3, total_tokens: 133, prompt_tokens_details: { cached_tokens: 100 } },
    });
    expect(usageFromOpenAI(out.usage)).toEqual({ inputTokens: 10, outputTokens: 3, cacheReadTokens: 100, cacheWriteTokens: 20 });
  });

  it('maps tool_use to tool_calls with null content, and drops thinking blocks', () => {
    const out = anthropicResponseToOpenAI(
      anthropicMessage({
        content: [
          { type: 'thinking', thinking: 'hmm', signature: 's' },
          { type: 'redacted_thinking', data: 'x' },
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
        ],
        stop_reason: 'tool_use',
      }),
      'm',
    );
    expect(out.choices).toEqual([
      {
        index: 0,
        logprobs: null,
        finish_reason: 'tool_calls',
        message: {
          role: 'assistant',
          content: null,
          refusal: null,
          tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
        },
      },
    ]);
  });

  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['tool_use', 'tool_calls'],
    ['refusal', 'content_filter'],
    ['pause_turn', 'stop'],
  ])('maps stop_reason %s to finish_reason %s', (stop, finish) => {
    const out = anthropicResponseToOpenAI(anthropicMessage({ stop_reason: stop }), 'm');
    expect((out.choices as Array<{ finish_reason: string }>)[0]?.finish_reason).toBe(finish);
  });
});

describe('openaiResponseToAnthropic', () => {
  it('maps text and usage, subtracting cached tokens from input', () => {
    const out = openaiResponseToAnthropic(
      completion({ content: 'Hello!' }, 'stop', {
        prompt_tokens: 1200,
        completion_tokens: 7,
        total_tokens: 1207,
        prompt_tokens_details: { cached_tokens: 1024 },
      }),
      'my-alias',
    );
    expect(out).toEqual({
      id: 'chatcmpl-1',
      type: 'message',
      role: 'assistant',
      model: 'gpt-4o-2024',
      content: [{ type: 'text', text: 'Hello!' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 176, output_tokens: 7, cache_read_input_tokens: 1024, cache_creation_input_tokens: 0 },
    });
  });

  it('maps tool_calls to tool_use blocks (text first), tolerating bad argument JSON', () => {
    const out = openaiResponseToAnthropic(
      completion(
        {
          content: 'Let me check.',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
            { id: 'call_2', type: 'function', function: { name: 'noop', arguments: '' } },
          ],
        },
        'tool_calls',
      ),
      'm',
    );
    expect(out.content).toEqual([
      { type: 'text', text: 'Let me check.' },
      { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Rome' } },
      { type: 'tool_use', id: 'call_2', name: 'noop', input: {} },
    ]);
    expect(out.stop_reason).toBe('tool_use');
  });

  it('shows a refusal as text with stop_reason refusal', () => {
    const out = openaiResponseToAnthropic(completion({ content: null, refusal: 'I cannot help.' }, 'content_filter'), 'm');
    expect(out.content).toEqual([{ type: 'text', text: 'I cannot help.' }]);
    expect(out.stop_reason).toBe('refusal');
  });

  it.each([
    ['stop', 'end_turn'],
    ['length', 'max_tokens'],
    ['tool_calls', 'tool_use'],
    ['function_call', 'tool_use'],
    ['content_filter', 'refusal'],
    [null, 'end_turn'],
  ])('maps finish_reason %s to stop_reason %s', (finish, stop) => {
    expect(openaiResponseToAnthropic(completion({ content: 'x' }, finish), 'm').stop_reason).toBe(stop);
  });

  it('does not crash on an empty or odd body', () => {
    expect(openaiResponseToAnthropic({}, 'm')).toMatchObject({ content: [], stop_reason: 'end_turn', usage: { input_tokens: 0 } });
    expect(anthropicResponseToOpenAI({ content: 'nope' }, 'm')).toMatchObject({ choices: [{ message: { content: '' } }] });
  });
});

describe('usage normalisation', () => {
  it('reads Anthropic usage, cache tokens kept apart from input', () => {
    expect(
      usageFromAnthropic({ input_tokens: 5, output_tokens: 9, cache_read_input_tokens: 300, cache_creation_input_tokens: 40 }),
    ).toEqual({
      inputTokens: 5,
      outputTokens: 9,
      cacheReadTokens: 300,
      cacheWriteTokens: 40,
    });
    expect(usageFromAnthropic({ input_tokens: 5, output_tokens: 9, cache_read_input_tokens: null })).toEqual({
      inputTokens: 5,
      outputTokens: 9,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
    });
  });

  it('reads OpenAI usage: cached tokens moved out of prompt_tokens (also DeepSeek-style hit counts)', () => {
    expect(usageFromOpenAI({ prompt_tokens: 2006, completion_tokens: 300, prompt_tokens_details: { cached_tokens: 1920 } })).toEqual({
      inputTokens: 86,
      outputTokens: 300,
      cacheReadTokens: 1920,
      cacheWriteTokens: 0,
    });
    expect(
      usageFromOpenAI({ prompt_tokens: 100, completion_tokens: 1, prompt_cache_hit_tokens: 60, prompt_cache_miss_tokens: 40 }),
    ).toMatchObject({
      inputTokens: 40,
      cacheReadTokens: 60,
    });
  });

  it('treats missing or malformed usage as zero', () => {
    const zero = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
    expect(usageFromOpenAI(null)).toEqual(zero);
    expect(usageFromAnthropic('x')).toEqual(zero);
    expect(usageFromOpenAI({ prompt_tokens: 'many' })).toEqual(zero);
  });
});
