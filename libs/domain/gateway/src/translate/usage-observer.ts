// Usage of a same-format stream that is forwarded untouched. It must stay cheap: Anthropic
// events are parsed only when their name says they carry usage; OpenAI chunks only when a
// `"usage"` key with a non-null value is in the text (every chunk of an include_usage stream
// has `"usage":null`), found by indexOf, not by parsing.
import type { TokenUsage, WireFormat } from '@slipway/contracts';
import { isObj, obj, str, tryParse } from './json';
import type { SseEvent } from './sse';
import type { UpstreamStreamError, UsageObserver } from './stream-types';
import { emptyUsage, mergeAnthropicUsage, usageFromOpenAI } from './usage';

export function createUsageObserver(format: WireFormat): UsageObserver {
  return format === 'anthropic' ? new AnthropicUsageObserver() : new OpenAIUsageObserver();
}

class AnthropicUsageObserver implements UsageObserver {
  private readonly u = emptyUsage();
  finished = false;
  upstreamError: UpstreamStreamError | null = null;

  usage(): TokenUsage {
    return { ...this.u };
  }

  observe(e: SseEvent): void {
    const name = e.event;
    if (name === 'message_stop') this.finished = true;
    else if (name === 'message_start' || name === 'message_delta' || name === 'error' || name === undefined) {
      const d = obj(tryParse(e.data));
      if (!d) return;
      const type = name ?? d.type;
      if (type === 'message_start') mergeAnthropicUsage(this.u, obj(d.message)?.usage);
      else if (type === 'message_delta') mergeAnthropicUsage(this.u, d.usage);
      else if (type === 'message_stop') this.finished = true;
      else if (type === 'error') {
        const err = obj(d.error);
        this.upstreamError = { type: str(err?.type) ?? 'api_error', message: str(err?.message) ?? '' };
      }
    }
  }
}

class OpenAIUsageObserver implements UsageObserver {
  private u = emptyUsage();
  private done = false;
  private usageSeen = false;
  private finishSeen = false;
  upstreamError: UpstreamStreamError | null = null;

  get finished(): boolean {
    return this.done || (this.finishSeen && this.usageSeen);
  }

  usage(): TokenUsage {
    return { ...this.u };
  }

  observe(e: SseEvent): void {
    const data = e.data;
    if (data === '[DONE]') {
      this.done = true;
      return;
    }
    if (!this.finishSeen && hasNonNullKey(data, '"finish_reason"')) this.finishSeen = true;
    const hasUsage = hasNonNullKey(data, '"usage"');
    // Error chunks are `{"error":{…}}`; checking the start avoids scanning every chunk for it.
    const hasError = data.startsWith('{"error"');
    if (!hasUsage && !hasError) return;
    const d = obj(tryParse(data));
    if (!d) return;
    if (isObj(d.usage)) {
      this.u = usageFromOpenAI(d.usage);
      this.usageSeen = true;
    }
    const err = obj(d.error);
    if (err) this.upstreamError = { type: str(err.type) ?? 'server_error', message: str(err.message) ?? '' };
  }
}

/**
 * Whether the last `key` that is an object key has a value other than `null` (a cheap pre-check
 * before parsing). Searched from the end: OpenAI puts finish_reason and usage last, and
 * lastIndexOf finds them without scanning the whole chunk.
 */
export function hasNonNullKey(data: string, key: string): boolean {
  let at = data.lastIndexOf(key);
  while (at !== -1) {
    let i = at + key.length;
    while (isSpace(data.charCodeAt(i))) i++;
    if (data.charCodeAt(i) === 58 /* : */) {
      i++;
      while (isSpace(data.charCodeAt(i))) i++;
      // Inside a JSON string a quote is escaped, so `"key":` is always a key: the last one decides.
      return data.charCodeAt(i) !== 110; /* n(ull) */
    }
    at = at === 0 ? -1 : data.lastIndexOf(key, at - 1);
  }
  return false;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}
