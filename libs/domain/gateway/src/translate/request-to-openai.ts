// Anthropic Messages request → OpenAI Chat Completions request. Fields with no meaning in
// Chat Completions (top_k, thinking, cache_control, server tools, …) are dropped.
import { arr, copyIf, isObj, obj, str, type Json } from './json';

export interface OpenAIRequestOptions {
  /**
   * Which field carries max_tokens. OpenAI's reasoning models reject `max_tokens`, so the
   * default is `max_completion_tokens`; older OpenAI-compatible servers may need `max_tokens`.
   */
  maxTokensField?: 'max_tokens' | 'max_completion_tokens';
}

export function anthropicRequestToOpenAI(
  body: Record<string, unknown>,
  model: string,
  opts: OpenAIRequestOptions = {},
): Record<string, unknown> {
  const out: Json = { model };
  const messages: Json[] = [];
  const system = systemText(body.system);
  if (system !== undefined) messages.push({ role: 'system', content: system });
  for (const m of arr(body.messages)) {
    if (!isObj(m)) continue;
    if (m.role === 'assistant') messages.push(assistantMessage(m.content));
    else userMessages(m.content, messages);
  }
  out.messages = messages;

  const tools = arr(body.tools)
    .map(toolDefinition)
    .filter((t): t is Json => t !== undefined);
  if (tools.length > 0) {
    out.tools = tools;
    const choice = obj(body.tool_choice);
    if (choice) {
      const mapped = toolChoice(choice);
      if (mapped !== undefined) out.tool_choice = mapped;
      if (choice.disable_parallel_tool_use === true) out.parallel_tool_calls = false;
    }
  }
  if (typeof body.max_tokens === 'number') out[opts.maxTokensField ?? 'max_completion_tokens'] = body.max_tokens;
  copyIf(body, out, 'temperature');
  copyIf(body, out, 'top_p');
  const stop = arr(body.stop_sequences).filter((s) => typeof s === 'string');
  if (stop.length > 0) out.stop = stop;
  const userId = str(obj(body.metadata)?.user_id);
  if (userId) out.user = userId;
  if (body.stream === true) {
    out.stream = true;
    // Without it OpenAI sends no usage at all on a stream, and the call would be billed as free.
    out.stream_options = { include_usage: true };
  }
  return out;
}

/** System prompt as one string: blocks are joined (cache_control has no OpenAI meaning). */
function systemText(system: unknown): string | undefined {
  if (typeof system === 'string') return system.length > 0 ? system : undefined;
  const texts = arr(system)
    .map((b) => (isObj(b) ? str(b.text) : undefined))
    .filter((t): t is string => t !== undefined);
  return texts.length > 0 ? texts.join('\n\n') : undefined;
}

function assistantMessage(content: unknown): Json {
  if (typeof content === 'string') return { role: 'assistant', content };
  let text = '';
  const toolCalls: Json[] = [];
  for (const b of arr(content)) {
    if (!isObj(b)) continue;
    if (b.type === 'text') text += str(b.text) ?? '';
    else if (b.type === 'tool_use')
      toolCalls.push({ id: b.id, type: 'function', function: { name: b.name, arguments: JSON.stringify(b.input ?? {}) } });
    // thinking / redacted_thinking / server tool blocks: no Chat Completions equivalent.
  }
  const msg: Json = { role: 'assistant', content: text.length > 0 || toolCalls.length === 0 ? text : null };
  if (toolCalls.length > 0) msg.tool_calls = toolCalls;
  return msg;
}

/**
 * One Anthropic user turn → its tool results as `role: "tool"` messages (in order, first: Chat
 * Completions wants them right after the assistant's tool_calls), then the rest as a user message.
 */
function userMessages(content: unknown, into: Json[]): void {
  if (typeof content === 'string') {
    into.push({ role: 'user', content });
    return;
  }
  const parts: Json[] = [];
  for (const b of arr(content)) {
    if (!isObj(b)) continue;
    if (b.type === 'tool_result') into.push(toolMessage(b, parts));
    else {
      const part = contentPart(b);
      if (part) parts.push(part);
    }
  }
  if (parts.length === 0) return;
  const only = parts[0];
  into.push({ role: 'user', content: parts.length === 1 && only?.type === 'text' ? only.text : parts });
}

/** Images inside a tool result cannot ride on a tool message: they go to the following user message. */
function toolMessage(b: Json, userParts: Json[]): Json {
  const texts: string[] = [];
  if (typeof b.content === 'string') texts.push(b.content);
  for (const c of arr(b.content)) {
    if (!isObj(c)) continue;
    if (c.type === 'text') texts.push(str(c.text) ?? '');
    else {
      const part = contentPart(c);
      if (part) userParts.push(part);
    }
  }
  let text = texts.join('\n');
  // Chat Completions has no is_error flag; say it in the content so the model still knows.
  if (b.is_error === true) text = text.length > 0 ? `Error: ${text}` : 'Error';
  return { role: 'tool', tool_call_id: b.tool_use_id, content: text };
}

function contentPart(b: Json): Json | undefined {
  if (b.type === 'text') return { type: 'text', text: str(b.text) ?? '' };
  const source = obj(b.source);
  if (!source) return undefined;
  if (b.type === 'image') {
    if (source.type === 'base64')
      return { type: 'image_url', image_url: { url: `data:${str(source.media_type)};base64,${str(source.data)}` } };
    if (source.type === 'url') return { type: 'image_url', image_url: { url: source.url } };
    return undefined;
  }
  if (b.type === 'document') {
    if (source.type === 'text') return { type: 'text', text: str(source.data) ?? '' };
    if (source.type === 'base64')
      return {
        type: 'file',
        file: { filename: str(b.title) ?? 'document.pdf', file_data: `data:${str(source.media_type)};base64,${str(source.data)}` },
      };
  }
  return undefined;
}

/** Client tools only: server tools (web search, bash, …) have no input_schema and no equivalent. */
function toolDefinition(t: unknown): Json | undefined {
  if (!isObj(t) || !isObj(t.input_schema) || typeof t.name !== 'string') return undefined;
  const fn: Json = { name: t.name, parameters: t.input_schema };
  copyIf(t, fn, 'description');
  if (typeof t.strict === 'boolean') fn.strict = t.strict;
  return { type: 'function', function: fn };
}

function toolChoice(c: Json): unknown {
  switch (c.type) {
    case 'auto':
      return 'auto';
    case 'any':
      return 'required';
    case 'none':
      return 'none';
    case 'tool':
      return { type: 'function', function: { name: c.name } };
    default:
      return undefined;
  }
}
