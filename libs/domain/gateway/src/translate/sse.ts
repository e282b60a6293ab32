// Server-sent events: the event shape the translators take, the framing they write, and an
// incremental parser for upstream bodies (bytes in any chunking → whole events).
import { StringDecoder } from 'node:string_decoder';

/** One parsed SSE event. */
export interface SseEvent {
  event?: string;
  data: string;
}

/** Anthropic framing: every event is named. */
export function frameAnthropic(event: string, data: string): string {
  return `event: ${event}\ndata: ${data}\n\n`;
}

/** OpenAI framing: data only. */
export function frameOpenAI(data: string): string {
  return `data: ${data}\n\n`;
}

/** Frames an event as received (same-format pass-through). */
export function frameEvent(e: SseEvent): string {
  return e.event === undefined ? `data: ${e.data}\n\n` : `event: ${e.event}\ndata: ${e.data}\n\n`;
}

/** An event (or an unfinished line) longer than the parser holds. */
export class SseEventTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`the provider sent a stream event longer than ${limit} characters`);
  }
}

/**
 * Incremental SSE parser (WHATWG rules: `\n`, `\r\n` or `\r` line ends, multi-line data joined by
 * `\n`, comments and unknown fields ignored). Holds only the unfinished tail of the input, and
 * throws SseEventTooLarge when that tail or the event being assembled passes `maxEventChars`.
 */
export class SseParser {
  private readonly decoder = new StringDecoder('utf8');
  private readonly maxEventChars: number;
  private buf = '';
  private event: string | undefined;
  private data: string | undefined;

  constructor(options: { maxEventChars?: number } = {}) {
    this.maxEventChars = options.maxEventChars ?? Number.POSITIVE_INFINITY;
  }

  /** Feeds a chunk; returns the events it completed (often none or one). */
  feed(chunk: Buffer | string): SseEvent[] {
    this.buf += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const out: SseEvent[] = [];
    let start = 0;
    const buf = this.buf;
    for (;;) {
      const lf = buf.indexOf('\n', start);
      const cr = buf.indexOf('\r', start);
      let end: number;
      let next: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        // A lone \r at the very end may be the first half of \r\n: wait for more input.
        if (cr === buf.length - 1) break;
        end = cr;
        next = buf.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1;
      } else if (lf !== -1) {
        end = lf;
        next = lf + 1;
      } else break;
      this.line(buf, start, end, out);
      start = next;
    }
    this.buf = start === 0 ? buf : buf.slice(start);
    if (this.buf.length > this.maxEventChars || (this.data?.length ?? 0) + this.buf.length > this.maxEventChars) throw new SseEventTooLarge(this.maxEventChars);
    return out;
  }

  /** Ends the input: an event without its closing blank line is dropped, as browsers do. */
  end(): void {
    this.buf = '';
    this.event = undefined;
    this.data = undefined;
  }

  private line(buf: string, start: number, end: number, out: SseEvent[]): void {
    if (start === end) {
      if (this.data !== undefined) out.push(this.event === undefined ? { data: this.data } : { event: this.event, data: this.data });
      this.event = undefined;
      this.data = undefined;
      return;
    }
    if (buf.charCodeAt(start) === 58 /* : comment */) return;
    let colon = buf.indexOf(':', start);
    if (colon === -1 || colon > end) colon = end;
    const field = buf.slice(start, colon);
    let vstart = colon + 1;
    if (vstart < end && buf.charCodeAt(vstart) === 32) vstart++;
    const value = vstart <= end ? buf.slice(vstart, end) : '';
    if (field === 'data') this.data = this.data === undefined ? value : `${this.data}\n${value}`;
    else if (field === 'event') this.event = value;
  }
}
