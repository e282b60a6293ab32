// Stop reasons across the formats. OpenAI's `stop` covers both a natural end and a matched stop
// sequence (it does not say which), so it maps back to end_turn.

const TO_OPENAI: Record<string, string> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  pause_turn: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

const TO_ANTHROPIC: Record<string, string> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  function_call: 'tool_use',
  content_filter: 'refusal',
};

export function finishReasonFromAnthropic(stopReason: unknown): string {
  return (typeof stopReason === 'string' && TO_OPENAI[stopReason]) || 'stop';
}

export function stopReasonFromOpenAI(finishReason: unknown): string {
  return (typeof finishReason === 'string' && TO_ANTHROPIC[finishReason]) || 'end_turn';
}
