// Anthropic Messages SSE → OpenAI chat.completion.chunk SSE. The chunk envelope (id, created,
// model) is rendered once per response and deltas are spliced into it, so a text delta costs
// one JSON.parse and one JSON.stringify of its text.
import type { TokenUsage } from '@slipway/contracts';
import { isObj, newId, obj, str, tryParse, type Json } from './json';
import { frameOpenAI, type SseEvent } from './sse';
import { finishReasonFromAnthropic } from './stop-reasons';
import { MALFORMED_EVENT, type StreamTranslator, type StreamTranslatorOptions, type UpstreamStreamError } from './stream-types';
import { emptyUsage, mergeAnthropicUsage, openaiUsageBody } from './usage';

/** Per Anthropic block index: a text block, a skipped block (thinking, server tools), or a tool call index ≥ 0. */
const TEXT = -1;
const SKIP = -2;
const CHOICE_END = ',"logprobs":null,"finish_reason":null}]';

/** Anthropic error types → the OpenAI type a client of that format expects. */
const ERROR_TYPES: Record<string, string> = {
  overloaded_error: 'server_error',
  api_error: 'server_error',
  timeout_error: 'server_error',
  rate_limit_error: 'rate_limit_error',
  invalid_request_error: 'invalid_request_error',
  authentication_error: 'authentication_error',
  permission_error: 'permission_error',
  not_found_error: 'not_found_error',
  request_too_large: 'invalid_request_error',
};

export class AnthropicToOpenAIStream implements StreamTranslator {
  private readonly u: TokenUsage = emptyUsage();
  /** `data: {"id":…,"object":…,"created":…,"model":…,` — set at message_start. */
  private head = '';
  private blocks: number[] = [];
  private nextTool = 0;
  private finishSent = false;
  private usageSent = false;
  private doneSent = false;
  private stopped = false;
  private _finished = false;
  private _error: UpstreamStreamError | null = null;

  /** Closes a chunk: with include_usage, OpenAI gives every chunk but the last `"usage": null`. */
  private readonly chunkEnd: string;

  constructor(private readonly opts: StreamTranslatorOptions) {
    this.chunkEnd = opts.includeUsage ? ',"usage":null}\n\n' : '}\n\n';
  }

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
    // Events that carry nothing for an OpenAI client are not even parsed.
    if (e.event === 'ping' || e.event === 'content_block_stop') return '';
    const d = tryParse(e.data);
    if (!isObj(d)) return this.fail('api_error', MALFORMED_EVENT);
    switch (e.event ?? d.type) {
      case 'message_start':
        return this.start(obj(d.message));
      case 'content_block_start':
        return this.blockStart(d);
      case 'content_block_delta':
        return this.blockDelta(d);
      case 'message_delta':
        return this.messageDelta(d);
      case 'message_stop':
        return this.messageStop();
      case 'error': {
        const err = obj(d.error);
        return this.fail(str(err?.type) ?? 'api_error', str(err?.message) ?? 'The upstream provider reported an error.');
      }
      default:
        return '';
    }
  }

  end(): string {
    if (this.doneSent || this._error) return '';
    let out = this.head === '' ? this.start(undefined) : '';
    out += this.finishChunk('stop') + this.usageChunk();
    this.doneSent = true;
    this.stopped = true;
    return `${out}data: [DONE]\n\n`;
  }

  error(type: string, message: string): string {
    this.stopped = true;
    return frameOpenAI(JSON.stringify({ error: { message, type: ERROR_TYPES[type] ?? type, param: null, code: null } }));
  }

  private fail(type: string, message: string): string {
    this._error = { type, message };
    return this.error(type, message);
  }

  private start(message: Json | undefined): string {
    if (this.head !== '') return '';
    if (message) mergeAnthropicUsage(this.u, message.usage);
    const id = this.opts.id ?? str(message?.id) ?? newId('chatcmpl-');
    const created = Math.floor(Date.now() / 1000);
    this.head = `data: {"id":${JSON.stringify(id)},"object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(str(message?.model) ?? this.opts.model)},`;
    return this.delta('{"role":"assistant","content":""}');
  }

  private delta(delta: string): string {
    return `${this.head}"choices":[{"index":0,"delta":${delta}${CHOICE_END}${this.chunkEnd}`;
  }

  private blockStart(d: Json): string {
    const out = this.head === '' ? this.start(undefined) : '';
    const index = typeof d.index === 'number' ? d.index : this.blocks.length;
    const block = obj(d.content_block);
    if (block?.type === 'text') {
      this.blocks[index] = TEXT;
      const text = str(block.text);
      return text ? out + this.delta(`{"content":${JSON.stringify(text)}}`) : out;
    }
    if (block?.type === 'tool_use') {
      const tool = this.nextTool++;
      this.blocks[index] = tool;
      const call = `{"index":${tool},"id":${JSON.stringify(str(block.id) ?? newId('call_'))},"type":"function","function":{"name":${JSON.stringify(str(block.name) ?? '')},"arguments":""}}`;
      return out + this.delta(`{"tool_calls":[${call}]}`);
    }
    this.blocks[index] = SKIP; // thinking, redacted_thinking, server tools: not shown to an OpenAI client
    return out;
  }

  private blockDelta(d: Json): string {
    const kind = typeof d.index === 'number' ? this.blocks[d.index] : undefined;
    const delta = obj(d.delta);
    if (kind === undefined || kind === SKIP || !delta) return '';
    if (kind === TEXT) {
      const text = str(delta.text);
      return text ? this.delta(`{"content":${JSON.stringify(text)}}`) : '';
    }
    const json = str(delta.partial_json);
    return json ? this.delta(`{"tool_calls":[{"index":${kind},"function":{"arguments":${JSON.stringify(json)}}}]}`) : '';
  }

  private messageDelta(d: Json): string {
    mergeAnthropicUsage(this.u, d.usage);
    const reason = obj(d.delta)?.stop_reason;
    return reason == null ? '' : this.finishChunk(finishReasonFromAnthropic(reason));
  }

  private messageStop(): string {
    this._finished = true;
    return this.finishChunk('stop') + this.usageChunk();
  }

  private finishChunk(reason: string): string {
    if (this.finishSent || this.head === '') return '';
    this.finishSent = true;
    return `${this.head}"choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"${reason}"}]${this.chunkEnd}`;
  }

  private usageChunk(): string {
    if (!this.opts.includeUsage || this.usageSent || this.head === '') return '';
    this.usageSent = true;
    return `${this.head}"choices":[],"usage":${JSON.stringify(openaiUsageBody(this.u))}}\n\n`;
  }
}
