// OpenAI Chat Completions request → Anthropic Messages request. Fields with no meaning in the
// Messages API (n, logprobs, penalties, response_format, seed, …) are dropped.
import { arr, copyIf, isObj, obj, str, tryParse, type Json } from './json';

/** Anthropic requires max_tokens; Chat Completions does not. */
export const DEFAULT_MAX_TOKENS = 4096;

type Block = Json;
interface Turn {
  role: 'user' | 'assistant';
  content: string | Block[];
}

export function openaiRequestToAnthropic(body: Record<string, unknown>, model: string): Record<string, unknown> {
  const system: string[] = [];
  const turns: Turn[] = [];
  for (const m of arr(body.messages)) {
    if (!isObj(m)) continue;
    switch (m.role) {
      case 'system':
      case 'developer':
        system.push(textOf(m.content));
        break;
      case 'user':
        pushTurn(turns, 'user', userContent(m.content));
        break;
      case 'assistant': {
        const blocks = assistantBlocks(m);
        if (blocks.length > 0) pushTurn(turns, 'assistant', blocks);
        break;
      }
      case 'tool':
        pushTurn(turns, 'user', [{ type: 'tool_result', tool_use_id: m.tool_call_id, content: toolResultContent(m.content) }]);
        break;
      // legacy `function` role: no tool call id to pair it with; dropped.
    }
  }

  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  const out: Json = { model, max_tokens: typeof maxTokens === 'number' ? maxTokens : DEFAULT_MAX_TOKENS };
  if (system.length === 1) out.system = system[0];
  else if (system.length > 1) out.system = system.map((text) => ({ type: 'text', text }));
  out.messages = turns;

  const tools = [...arr(body.tools).map(toolDefinition), ...arr(body.functions).map(functionDefinition)].filter(
    (t): t is Json => t !== undefined,
  );
  if (tools.length > 0) {
    out.tools = tools;
    const choice = toolChoice(body.tool_choice ?? body.function_call);
    if (body.parallel_tool_calls === false && choice?.type !== 'none') {
      out.tool_choice = { ...(choice ?? { type: 'auto' }), disable_parallel_tool_use: true };
    } else if (choice) out.tool_choice = choice;
  }
  // Anthropic's range is 0..1 (OpenAI's 0..2): clamp rather than have the provider reject it.
  if (typeof body.temperature === 'number') out.temperature = Math.min(1, Math.max(0, body.temperature));
  copyIf(body, out, 'top_p');
  const stop = typeof body.stop === 'string' ? [body.stop] : arr(body.stop).filter((s) => typeof s === 'string');
  if (stop.length > 0) out.stop_sequences = stop;
  const user = str(body.user) ?? str(body.safety_identifier);
  if (user) out.metadata = { user_id: user };
  if (body.stream === true) out.stream = true;
  return out;
}

/** Consecutive turns of one role become one (tool results, then a user message, share a turn). */
function pushTurn(turns: Turn[], role: Turn['role'], content: string | Block[]): void {
  const last = turns[turns.length - 1];
  if (!last || last.role !== role) {
    turns.push({ role, content });
    return;
  }
  const merged = typeof last.content === 'string' ? [{ type: 'text', text: last.content }] : last.content;
  if (typeof content === 'string') merged.push({ type: 'text', text: content });
  else merged.push(...content);
  last.content = merged;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  return arr(content)
    .map((p) => (isObj(p) ? (str(p.text) ?? str(p.refusal) ?? '') : ''))
    .join('');
}

function userContent(content: unknown): string | Block[] {
  if (typeof content === 'string') return content;
  const blocks: Block[] = [];
  for (const p of arr(content)) {
    if (!isObj(p)) continue;
    if (p.type === 'text') blocks.push({ type: 'text', text: str(p.text) ?? '' });
    else if (p.type === 'image_url') {
      const url = str(obj(p.image_url)?.url) ?? str(p.image_url);
      if (url) blocks.push({ type: 'image', source: mediaSource(url) });
    } else if (p.type === 'file') {
      const data = str(obj(p.file)?.file_data);
      if (data?.startsWith('data:')) blocks.push({ type: 'document', source: mediaSource(data) });
    }
    // input_audio and others: no Messages equivalent.
  }
  return blocks;
}

/** `data:<type>;base64,<data>` → a base64 source; anything else is fetched by URL. */
function mediaSource(url: string): Json {
  if (url.startsWith('data:')) {
    const semi = url.indexOf(';base64,');
    if (semi > 5) return { type: 'base64', media_type: url.slice(5, semi), data: url.slice(semi + 8) };
  }
  return { type: 'url', url };
}

function assistantBlocks(m: Json): Block[] {
  const blocks: Block[] = [];
  const text = textOf(m.content);
  // Anthropic rejects empty text blocks.
  if (text.length > 0) blocks.push({ type: 'text', text });
  for (const tc of arr(m.tool_calls)) {
    const fn = isObj(tc) ? obj(tc.function) : undefined;
    if (!fn || !isObj(tc)) continue;
    const args = typeof fn.arguments === 'string' && fn.arguments.length > 0 ? tryParse(fn.arguments) : {};
    blocks.push({ type: 'tool_use', id: tc.id, name: fn.name, input: isObj(args) ? args : {} });
  }
  return blocks;
}

function toolResultContent(content: unknown): string | Block[] {
  if (typeof content === 'string') return content;
  return arr(content)
    .filter(isObj)
    .map((p) => ({ type: 'text', text: str(p.text) ?? '' }));
}

function toolDefinition(t: unknown): Json | undefined {
  if (!isObj(t) || (t.type !== undefined && t.type !== 'function')) return undefined;
  return functionDefinition(t.function);
}

function functionDefinition(fn: unknown): Json | undefined {
  if (!isObj(fn) || typeof fn.name !== 'string') return undefined;
  const tool: Json = { name: fn.name, input_schema: isObj(fn.parameters) ? fn.parameters : { type: 'object', properties: {} } };
  copyIf(fn, tool, 'description');
  if (typeof fn.strict === 'boolean') tool.strict = fn.strict;
  return tool;
}

function toolChoice(c: unknown): Json | undefined {
  if (c === 'auto') return { type: 'auto' };
  if (c === 'required') return { type: 'any' };
  if (c === 'none') return { type: 'none' };
  if (!isObj(c)) return undefined;
  // {type:"function",function:{name}}, or the legacy function_call {name}
  const name = str(obj(c.function)?.name) ?? str(c.name);
  return name ? { type: 'tool', name } : undefined;
}
