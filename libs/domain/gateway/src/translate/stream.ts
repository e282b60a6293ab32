// Picks the stream translator for an (upstream, client) pair.
import type { TokenUsage, WireFormat } from '@slipway/contracts';
import { isObj, tryParse } from './json';
import { frameEvent, type SseEvent } from './sse';
import { AnthropicToOpenAIStream } from './stream-anthropic-to-openai';
import { OpenAIToAnthropicStream } from './stream-openai-to-anthropic';
import type { StreamTranslator, StreamTranslatorOptions, UpstreamStreamError, UsageObserver } from './stream-types';
import { createUsageObserver, hasNonNullKey } from './usage-observer';

export function createStreamTranslator(upstream: WireFormat, client: WireFormat, opts: StreamTranslatorOptions): StreamTranslator {
  if (upstream === client) return new PassThroughStream(client, opts);
  return upstream === 'anthropic' ? new AnthropicToOpenAIStream(opts) : new OpenAIToAnthropicStream(opts);
}

/**
 * Same format: events are forwarded as received (pings included) and only observed for usage.
 * For an OpenAI client that did not ask for usage (`includeUsage: false`) while the gateway
 * asked the upstream for it (to bill the call), the usage-only chunk is not forwarded and the
 * other chunks lose their `"usage": null`, as OpenAI streams without include_usage have none.
 */
class PassThroughStream implements StreamTranslator {
  private readonly observer: UsageObserver;
  private doneSent = false;
  private stopped = false;

  constructor(
    private readonly format: WireFormat,
    private readonly opts: StreamTranslatorOptions,
  ) {
    this.observer = createUsageObserver(format);
  }

  get finished(): boolean {
    return this.observer.finished;
  }

  get upstreamError(): UpstreamStreamError | null {
    return this.observer.upstreamError;
  }

  usage(): TokenUsage {
    return this.observer.usage();
  }

  push(e: SseEvent): string {
    if (this.stopped) return '';
    this.observer.observe(e);
    if (this.observer.upstreamError) this.stopped = true;
    if (this.format === 'openai') {
      if (e.data === '[DONE]') {
        if (this.doneSent) return '';
        this.doneSent = true;
      } else if (this.opts.includeUsage === false) {
        if (isUsageOnlyChunk(e.data)) return '';
        // OpenAI sends `"usage": null` in chunks only when include_usage was asked for (by us, here).
        const data = withoutNullUsage(e.data);
        if (data !== e.data) return frameEvent({ event: e.event, data });
      }
    }
    return frameEvent(e);
  }

  end(): string {
    if (this.format === 'anthropic' || this.doneSent || this.stopped) return '';
    this.doneSent = true;
    return 'data: [DONE]\n\n';
  }

  error(type: string, message: string): string {
    this.stopped = true;
    if (this.format === 'anthropic') return `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type, message } })}\n\n`;
    return `data: ${JSON.stringify({ error: { message, type, param: null, code: null } })}\n\n`;
  }
}

const NULL_USAGE = /,\s*"usage"\s*:\s*null(?=\s*[,}])|"usage"\s*:\s*null\s*,/;

/** The chunk without its `"usage": null` member (the regex runs only on chunks that name usage). */
export function withoutNullUsage(data: string): string {
  return data.includes('"usage"') ? data.replace(NULL_USAGE, '') : data;
}

function isUsageOnlyChunk(data: string): boolean {
  if (!hasNonNullKey(data, '"usage"')) return false;
  const d = tryParse(data);
  return isObj(d) && Array.isArray(d.choices) && d.choices.length === 0;
}

