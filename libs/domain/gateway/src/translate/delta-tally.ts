// What a stream has generated so far, counted from its deltas, for when the provider's own
// usage never arrives (a cut, an aborted or a broken stream): providers bill those tokens.
// No tokenizer: each delta carries at least one token, and English text runs about four
// characters a token, so the estimate is max(deltas, ⌈characters / 4⌉) — docs/gateway.md,
// "Accounting rules". Cheap: no JSON parsing, only a scan of the delta's string values.
import type { WireFormat } from '@slipway/contracts';
import type { SseEvent } from './sse';

const CHARS_PER_TOKEN = 4;
/** Generated text in an Anthropic content_block_delta: text, tool input, thinking. */
const ANTHROPIC_KEYS = ['"text"', '"partial_json"', '"thinking"'];
/** Generated text in an OpenAI chunk's delta: content, tool arguments, refusal, reasoning (compatible servers). */
const OPENAI_KEYS = ['"content"', '"arguments"', '"refusal"', '"reasoning_content"', '"reasoning"'];

export class DeltaTally {
  private deltas = 0;
  private chars = 0;

  constructor(private readonly format: WireFormat) {}

  /** One upstream event (in the provider's format). */
  observe(e: SseEvent): void {
    if (this.format === 'anthropic') {
      if (e.event !== undefined && e.event !== 'content_block_delta') return;
      if (e.event === undefined && !e.data.includes('"content_block_delta"')) return;
    } else if (e.data === '[DONE]' || !e.data.includes('"delta"')) return;
    let chars = 0;
    for (const key of this.format === 'anthropic' ? ANTHROPIC_KEYS : OPENAI_KEYS) chars += stringValueLength(e.data, key);
    if (chars === 0) return;
    this.deltas++;
    this.chars += chars;
  }

  /** Output tokens generated so far, estimated; 0 when no delta carried text. */
  outputTokens(): number {
    return Math.max(this.deltas, Math.ceil(this.chars / CHARS_PER_TOKEN));
  }
}

/**
 * The length of the JSON string value of the first `key` in `data` (escapes counted as
 * written), or 0 when the key is absent or its value is not a string. Inside a JSON string a
 * quote is escaped, so `"key"` followed by `:` is always a key.
 */
export function stringValueLength(data: string, key: string): number {
  let at = data.indexOf(key);
  while (at !== -1) {
    let i = at + key.length;
    while (data.charCodeAt(i) === 32) i++;
    if (data.charCodeAt(i) === 58 /* : */) {
      i++;
      while (data.charCodeAt(i) === 32) i++;
      if (data.charCodeAt(i) !== 34 /* " */) return 0;
      const start = ++i;
      while (i < data.length) {
        const c = data.charCodeAt(i);
        if (c === 92 /* \ */) i += 2;
        else if (c === 34) return i - start;
        else i++;
      }
      return 0;
    }
    at = data.indexOf(key, at + 1);
  }
  return 0;
}
