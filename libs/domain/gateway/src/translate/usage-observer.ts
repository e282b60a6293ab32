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
    const hasError = hasNonNullKey(data, '"error"');
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

/** Whether `key` occurs as an object key whose value is not `null` (a cheap pre-check before parsing). */
export function hasNonNullKey(data: string, key: string): boolean {
  let at = data.indexOf(key);
  while (at !== -1) {
    let i = at + key.length;
    while (isSpace(data.charCodeAt(i))) i++;
    if (data.charCodeAt(i) === 58 /* : */) {
      i++;
      while (isSpace(data.charCodeAt(i))) i++;
      if (data.charCodeAt(i) !== 110 /* n(ull) */) return true;
    }
    at = data.indexOf(key, at + key.length);
  }
  return false;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}
