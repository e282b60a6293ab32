// Non-streamed responses. `model` is the model that served the call, as the provider named it
// (the same rule as same-format answers, which pass the provider's body through).
import { arr, isObj, newId, obj, str, tryParse, type Json } from './json';
import { finishReasonFromAnthropic, stopReasonFromOpenAI } from './stop-reasons';
import { anthropicUsageBody, openaiUsageBody, usageFromAnthropic, usageFromOpenAI } from './usage';

export function openaiResponseToAnthropic(resp: Record<string, unknown>, servedModel: string): Record<string, unknown> {
  const choice = obj(arr(resp.choices)[0]);
  const message = obj(choice?.message);
  const content: Json[] = [];
  const text = messageText(message?.content) || (str(message?.refusal) ?? '');
  if (text.length > 0) content.push({ type: 'text', text });
  for (const tc of arr(message?.tool_calls)) {
    const fn = isObj(tc) ? obj(tc.function) : undefined;
    if (!fn || !isObj(tc)) continue;
    const args = typeof fn.arguments === 'string' && fn.arguments.length > 0 ? tryParse(fn.arguments) : {};
    content.push({ type: 'tool_use', id: str(tc.id) ?? newId('toolu_'), name: fn.name, input: isObj(args) ? args : {} });
  }
  // reasoning_content (DeepSeek & co.) is dropped: a thinking block needs a signature we cannot make.
  return {
    id: str(resp.id) ?? newId('msg_'),
    type: 'message',
    role: 'assistant',
    model: str(resp.model) ?? servedModel,
    content,
    stop_reason: stopReasonFromOpenAI(choice?.finish_reason),
    stop_sequence: null,
    usage: anthropicUsageBody(usageFromOpenAI(resp.usage)),
  };
}

export function anthropicResponseToOpenAI(resp: Record<string, unknown>, servedModel: string): Record<string, unknown> {
  let text = '';
  const toolCalls: Json[] = [];
  for (const b of arr(resp.content)) {
    if (!isObj(b)) continue;
    if (b.type === 'text') text += str(b.text) ?? '';
    else if (b.type === 'tool_use')
      toolCalls.push({ id: b.id, type: 'function', function: { name: b.name, arguments: JSON.stringify(b.input ?? {}) } });
    // thinking, redacted_thinking and server-tool blocks have no Chat Completions equivalent.
  }
  const message: Json = { role: 'assistant', content: text.length > 0 || toolCalls.length === 0 ? text : null, refusal: null };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return {
    id: str(resp.id) ?? newId('chatcmpl-'),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: str(resp.model) ?? servedModel,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReasonFromAnthropic(resp.stop_reason) }],
    usage: openaiUsageBody(usageFromAnthropic(resp.usage)),
  };
}

/** Chat Completions content is a string, or (some compatible servers) an array of text parts. */
function messageText(content: unknown): string {
  if (typeof content === 'string') return content;
  let text = '';
  for (const p of arr(content)) if (isObj(p)) text += str(p.text) ?? '';
  return text;
}
