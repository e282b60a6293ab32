// Normalises both wire formats into one MockPrompt and derives the deterministic completion.
import type { MockApi, MockOutput, MockPrompt, MockTool } from './types';
import { countTokens, hash32, lorem, tokenize } from './tokens';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Text of Anthropic content (a string or blocks) or OpenAI content (a string or parts). */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  return arr(content)
    .map((b) => {
      if (!isObj(b)) return '';
      if (b.type === 'text') return str(b.text);
      if (b.type === 'tool_use') return JSON.stringify(b.input ?? {});
      if (b.type === 'tool_result') return contentText(b.content);
      return '';
    })
    .filter((t) => t !== '')
    .join('\n');
}

function toolText(t: MockTool): string {
  return `${t.name} ${t.description} ${JSON.stringify(t.schema)}`;
}

export function anthropicPrompt(body: Json): MockPrompt {
  const messages = arr(body.messages).filter(isObj);
  const tools: MockTool[] = arr(body.tools)
    .filter(isObj)
    .filter((t) => typeof t.name === 'string')
    .map((t) => ({ name: str(t.name), description: str(t.description), schema: isObj(t.input_schema) ? t.input_schema : {} }));
  const last = messages[messages.length - 1];
  const endsWithToolResult = last?.role === 'user' && arr(last.content).some((b) => isObj(b) && b.type === 'tool_result');
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  const tc = isObj(body.tool_choice) ? body.tool_choice : {};
  const toolChoice: MockPrompt['toolChoice'] =
    tc.type === 'none'
      ? 'none'
      : tc.type === 'any'
        ? 'any'
        : tc.type === 'tool' && typeof tc.name === 'string'
          ? { name: tc.name }
          : 'auto';
  const system = contentText(body.system);
  return {
    api: 'anthropic',
    model: str(body.model),
    system,
    lastUserText: lastUser ? contentText(lastUser.content) : '',
    endsWithToolResult,
    inputText: [system, ...messages.map((m) => contentText(m.content)), ...tools.map(toolText)].filter((t) => t !== '').join('\n'),
    tools,
    toolChoice,
    maxTokens: typeof body.max_tokens === 'number' ? body.max_tokens : undefined,
    stopSequences: arr(body.stop_sequences).filter((s): s is string => typeof s === 'string' && s !== ''),
    stream: body.stream === true,
  };
}

export function openaiPrompt(body: Json): MockPrompt {
  const messages = arr(body.messages).filter(isObj);
  const tools: MockTool[] = arr(body.tools)
    .filter(isObj)
    .map((t) => (isObj(t.function) ? t.function : {}))
    .filter((f) => typeof f.name === 'string')
    .map((f) => ({ name: str(f.name), description: str(f.description), schema: isObj(f.parameters) ? f.parameters : {} }));
  const last = messages[messages.length - 1];
  const endsWithToolResult = last?.role === 'tool';
  const lastUser = endsWithToolResult ? last : [...messages].reverse().find((m) => m.role === 'user');
  const tc = body.tool_choice;
  const fn = isObj(tc) && isObj(tc.function) ? tc.function : undefined;
  const toolChoice: MockPrompt['toolChoice'] =
    tc === 'none' ? 'none' : tc === 'required' ? 'any' : fn && typeof fn.name === 'string' ? { name: fn.name } : 'auto';
  const msgText = (m: Json): string =>
    [contentText(m.content), ...arr(m.tool_calls).map((c) => (isObj(c) && isObj(c.function) ? str(c.function.arguments) : ''))]
      .filter((t) => t !== '')
      .join('\n');
  const system = messages
    .filter((m) => m.role === 'system' || m.role === 'developer')
    .map((m) => contentText(m.content))
    .join('\n');
  const stop = typeof body.stop === 'string' ? [body.stop] : arr(body.stop);
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  return {
    api: 'openai',
    model: str(body.model),
    system,
    lastUserText: lastUser ? contentText(lastUser.content) : '',
    endsWithToolResult,
    inputText: [...messages.map(msgText), ...tools.map(toolText)].filter((t) => t !== '').join('\n'),
    tools,
    toolChoice,
    maxTokens: typeof maxTokens === 'number' ? maxTokens : undefined,
    stopSequences: stop.filter((s): s is string => typeof s === 'string' && s !== ''),
    stream: body.stream === true,
  };
}

export type MockStopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use';

export interface MockToolCall {
  id: string;
  name: string;
  input: Json;
  /** JSON.stringify(input) split into tokens: the streamed argument deltas. */
  jsonChunks: string[];
}

export interface MockCompletion {
  text: string;
  /** The text split into tokens: the streamed text deltas (joined, they are `text`). */
  textTokens: string[];
  toolCall?: MockToolCall;
  stopReason: MockStopReason;
  stopSequence: string | null;
  inputTokens: number;
  outputTokens: number;
}

export interface CompletionSettings {
  output: MockOutput;
  toolTrigger: RegExp;
  seed: number;
}

function answerText(p: MockPrompt, s: CompletionSettings): string {
  const o = s.output;
  if (o === 'echo') return `Echo: ${p.lastUserText}`;
  if (typeof o === 'function') return o(p);
  if ('text' in o) return o.text;
  return lorem(o.lorem, hash32(`${s.seed}\0${p.model}\0${p.inputText}`));
}

/** A value for each schema property; a location-like string is taken from "in <Capitalised Words>". */
function toolInput(tool: MockTool, userText: string): Json {
  const props = isObj(tool.schema.properties) ? tool.schema.properties : {};
  const place = /\b(?:in|for|at)\s+([A-Z][\w'-]*(?:[ ,]+[A-Z][\w'-]*)*)/.exec(userText)?.[1] ?? 'San Francisco';
  const input: Json = {};
  for (const [name, def] of Object.entries(props)) {
    const d = isObj(def) ? def : {};
    if (Array.isArray(d.enum) && d.enum.length > 0) input[name] = d.enum[0];
    else if (d.type === 'number' || d.type === 'integer') input[name] = 1;
    else if (d.type === 'boolean') input[name] = true;
    else if (d.type === 'array') input[name] = [];
    else if (d.type === 'object') input[name] = {};
    else input[name] = /location|city|place|where/i.test(name) ? place : 'mock';
  }
  return input;
}

function pickTool(p: MockPrompt, s: CompletionSettings): MockTool | undefined {
  if (p.tools.length === 0 || p.toolChoice === 'none') return undefined;
  const choice = p.toolChoice;
  if (typeof choice === 'object') return p.tools.find((t) => t.name === choice.name);
  if (choice === 'auto' && (p.endsWithToolResult || !s.toolTrigger.test(p.lastUserText))) return undefined;
  return p.tools.find((t) => s.toolTrigger.test(`${t.name} ${t.description}`)) ?? p.tools[0];
}

export function complete(p: MockPrompt, s: CompletionSettings): MockCompletion {
  const inputTokens = countTokens(p.inputText);
  const tool = pickTool(p, s);
  if (tool) {
    const input = toolInput(tool, p.lastUserText);
    const text = `I'll use ${tool.name}.`;
    const textTokens = tokenize(text);
    const jsonChunks = tokenize(JSON.stringify(input));
    const idBase = hash32(`${p.inputText}\0${tool.name}`).toString(16).padStart(8, '0');
    const id = p.api === 'anthropic' ? `toolu_mock_${idBase}` : `call_mock_${idBase}`;
    return {
      text,
      textTokens,
      toolCall: { id, name: tool.name, input, jsonChunks },
      stopReason: 'tool_use',
      stopSequence: null,
      inputTokens,
      outputTokens: textTokens.length + jsonChunks.length,
    };
  }
  const all = tokenize(answerText(p, s));
  const limited = p.maxTokens !== undefined && all.length > p.maxTokens ? all.slice(0, Math.max(0, p.maxTokens)) : all;
  let text = limited.join('');
  let stopReason: MockStopReason = limited.length < all.length ? 'max_tokens' : 'end_turn';
  let stopSequence: string | null = null;
  let cut = -1;
  for (const seq of p.stopSequences) {
    const at = text.indexOf(seq);
    if (at >= 0 && (cut < 0 || at < cut)) [cut, stopSequence] = [at, seq];
  }
  if (cut >= 0) [text, stopReason] = [text.slice(0, cut), 'stop_sequence'];
  const textTokens = tokenize(text.trimEnd());
  return { text: textTokens.join(''), textTokens, stopReason, stopSequence, inputTokens, outputTokens: textTokens.length };
}

export function promptFor(api: MockApi, body: Json): MockPrompt {
  return api === 'anthropic' ? anthropicPrompt(body) : openaiPrompt(body);
}
