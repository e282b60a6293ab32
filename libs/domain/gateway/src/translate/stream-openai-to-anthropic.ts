// OpenAI chat.completion.chunk SSE → Anthropic Messages SSE. Blocks are opened lazily (a text
// block on the first content, a tool_use block per tool_calls index) and closed one at a time,
// as Anthropic streams them. OpenAI sends usage last (on its own `choices: []` chunk, or on the
// finish chunk for some upstreams), so message_delta + message_stop wait for usage or [DONE].
import type { TokenUsage } from '@slipway/contracts';
import { arr, isObj, newId, obj, str, tryParse, type Json } from './json';
import { frameAnthropic, type SseEvent } from './sse';
import { stopReasonFromOpenAI } from './stop-reasons';
import { MALFORMED_EVENT, type StreamTranslator, type StreamTranslatorOptions, type UpstreamStreamError } from './stream-types';
import { anthropicUsageBody, emptyUsage, usageFromOpenAI } from './usage';

const NONE = 0;
const TEXT = 1;
const TOOL = 2;

/** OpenAI error types → the Anthropic type a client of that format expects. */
const ERROR_TYPES: Record<string, string> = {
  server_error: 'api_error',
  rate_limit_error: 'rate_limit_error',
  rate_limit_exceeded: 'rate_limit_error',
  insufficient_quota: 'rate_limit_error',
  invalid_request_error: 'invalid_request_error',
  authentication_error: 'authentication_error',
  permission_error: 'permission_error',
  not_found_error: 'not_found_error',
  overloaded_error: 'overloaded_error',
  api_error: 'api_error',
};

export class OpenAIToAnthropicStream implements StreamTranslator {
  private u: TokenUsage = emptyUsage();
  private started = false;
  private nextBlock = 0;
  private open = NONE;
  private openIndex = 0;
  /** OpenAI tool_calls index → Anthropic block index. */
  private tools: number[] = [];
  private stopReason: string | null = null;
  private usageSeen = false;
  private stopped = false;
  private _finished = false;
  private _error: UpstreamStreamError | null = null;

  constructor(private readonly opts: StreamTranslatorOptions) {}

  get finished(): boolean {
    return this._finished;
  }

  get upstreamError(): UpstreamStreamError | null {
    return this._error;
  }

  usage(): TokenUsage {
    return { ...this.u };
  }

  push(e: SseEvent): string {
    if (this.stopped) return '';
    if (e.data === '[DONE]') return this.finish();
    const d = tryParse(e.data);
    if (!isObj(d)) return this.fail('api_error', MALFORMED_EVENT);
    const err = d.error;
    if (err !== undefined && err !== null) {
      const o = obj(err);
      return this.fail(
        str(o?.type) ?? str(o?.code) ?? 'api_error',
        str(o?.message) ?? str(err) ?? 'The upstream provider reported an error.',
      );
    }
    let out = this.started ? '' : this.start(d);
    const choice = firstChoice(d.choices);
    if (choice) {
      const delta = obj(choice.delta);
      if (delta) {
        const text = str(delta.content) || str(delta.refusal);
        if (text) out += this.text(text);
        const calls = delta.tool_calls;
        if (Array.isArray(calls)) for (let i = 0; i < calls.length; i++) out += this.toolCall(calls[i], i);
      }
      if (choice.finish_reason != null) {
        this.stopReason = stopReasonFromOpenAI(choice.finish_reason);
        out += this.closeBlock();
      }
    }
    if (isObj(d.usage)) {
      this.u = usageFromOpenAI(d.usage);
      this.usageSeen = true;
    }
    if (this.stopReason !== null && this.usageSeen) out += this.finish();
    return out;
  }

  end(): string {
    return this.stopped ? '' : this.finish();
  }

  error(type: string, message: string): string {
    this.stopped = true;
    return frameAnthropic('error', JSON.stringify({ type: 'error', error: { type: ERROR_TYPES[type] ?? type, message } }));
  }

  private fail(type: string, message: string): string {
    this._error = { type, message };
    return this.error(type, message);
  }

  private start(d: Json): string {
    this.started = true;
    const message = {
      id: this.opts.id ?? str(d.id) ?? newId('msg_'),
      type: 'message',
      role: 'assistant',
      model: str(d.model) ?? this.opts.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      // OpenAI reports usage only at the end (message_delta carries all of it): until then the
      // input is the gateway's estimate, as Anthropic clients read input_tokens here.
      usage: anthropicUsageBody({ ...this.u, inputTokens: this.u.inputTokens || (this.opts.inputTokensEstimate ?? 0) }),
    };
    return frameAnthropic('message_start', JSON.stringify({ type: 'message_start', message }));
  }

  private text(text: string): string {
    let out = '';
    if (this.open !== TEXT) {
      out = this.closeBlock() + this.openBlock(TEXT, '{"type":"text","text":""}');
    }
    return `${out}event: content_block_delta\ndata: {"type":"content_block_delta","index":${this.openIndex},"delta":{"type":"text_delta","text":${JSON.stringify(text)}}}\n\n`;
  }

  private toolCall(tc: unknown, position: number): string {
    if (!isObj(tc)) return '';
    const fn = obj(tc.function);
    const index = typeof tc.index === 'number' ? tc.index : position;
    let block = this.tools[index];
    let out = '';
    if (block === undefined) {
      out = this.closeBlock();
      const start = { type: 'tool_use', id: str(tc.id) ?? newId('toolu_'), name: str(fn?.name) ?? '', input: {} };
      out += this.openBlock(TOOL, JSON.stringify(start));
      block = this.openIndex;
      this.tools[index] = block;
    }
    // A late argument delta for a block already closed (interleaved upstream) is still sent: losing it would corrupt the input.
    const args = str(fn?.arguments);
    if (args) {
      out += `event: content_block_delta\ndata: {"type":"content_block_delta","index":${block},"delta":{"type":"input_json_delta","partial_json":${JSON.stringify(args)}}}\n\n`;
    }
    return out;
  }

  private openBlock(kind: number, contentBlock: string): string {
    this.open = kind;
    this.openIndex = this.nextBlock++;
    return `event: content_block_start\ndata: {"type":"content_block_start","index":${this.openIndex},"content_block":${contentBlock}}\n\n`;
  }

  private closeBlock(): string {
    if (this.open === NONE) return '';
    this.open = NONE;
    return `event: content_block_stop\ndata: {"type":"content_block_stop","index":${this.openIndex}}\n\n`;
  }

  /** message_delta + message_stop; on [DONE] or end() also without usage or finish_reason. */
  private finish(): string {
    if (this.stopped) return '';
    this.stopped = true;
    this._finished = true;
    const out = (this.started ? '' : this.start({})) + this.closeBlock();
    const delta = {
      type: 'message_delta',
      delta: { stop_reason: this.stopReason ?? 'end_turn', stop_sequence: null },
      usage: anthropicUsageBody(this.u),
    };
    return `${out}${frameAnthropic('message_delta', JSON.stringify(delta))}event: message_stop\ndata: {"type":"message_stop"}\n\n`;
  }
}

/** Choice 0 (the gateway asks for one choice; others, if any, are ignored). */
function firstChoice(choices: unknown): Json | undefined {
  for (const c of arr(choices)) if (isObj(c) && (c.index === 0 || c.index === undefined)) return c;
  return undefined;
}
