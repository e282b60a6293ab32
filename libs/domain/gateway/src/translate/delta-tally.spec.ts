import { describe, expect, it } from 'vitest';
import { DeltaTally, stringValueLength } from './delta-tally';

const openaiChunk = (delta: object) => ({ data: JSON.stringify({ id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: null }], usage: null }) });
const anthropicDelta = (delta: object) => ({ event: 'content_block_delta', data: JSON.stringify({ type: 'content_block_delta', index: 0, delta }) });

describe('DeltaTally', () => {
  it('estimates OpenAI output as max(deltas, ⌈characters / 4⌉), from content and tool arguments, ignoring empty and role chunks', () => {
    const t = new DeltaTally('openai');
    t.observe(openaiChunk({ role: 'assistant', content: '' }));
    for (const text of ['Hel', 'lo', ' you']) t.observe(openaiChunk({ content: text }));
    expect(t.outputTokens()).toBe(3); // 9 characters, 3 deltas
    t.observe(openaiChunk({ tool_calls: [{ index: 0, function: { arguments: '{"location": "Lisbon, Portugal"}' } }] }));
    expect(t.outputTokens()).toBe(Math.ceil((9 + 36) / 4)); // the arguments' JSON text as sent, its 4 escaped quotes included
    t.observe({ data: '[DONE]' });
    expect(t.outputTokens()).toBe(12);
  });

  it('counts Anthropic text, tool-input and thinking deltas, and nothing else', () => {
    const t = new DeltaTally('anthropic');
    t.observe({ event: 'message_start', data: JSON.stringify({ type: 'message_start', message: { content: [], usage: { input_tokens: 9, output_tokens: 1 } } }) });
    t.observe({ event: 'ping', data: '{"type":"ping"}' });
    t.observe(anthropicDelta({ type: 'text_delta', text: 'The answer is a long sentence' }));
    t.observe(anthropicDelta({ type: 'input_json_delta', partial_json: '{"a":' }));
    t.observe(anthropicDelta({ type: 'thinking_delta', thinking: 'hmm' }));
    t.observe(anthropicDelta({ type: 'signature_delta', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3h' }));
    expect(t.outputTokens()).toBe(Math.ceil((29 + 8 + 3) / 4));
  });

  it('reads a string value with escapes and spaces, and nothing for null or a missing key', () => {
    expect(stringValueLength('{"content": "a\\"b"}', '"content"')).toBe(4);
    expect(stringValueLength('{"content":null}', '"content"')).toBe(0);
    expect(stringValueLength('{"x":"\\"content\\": \\"no\\""}', '"content"')).toBe(0);
  });
});
