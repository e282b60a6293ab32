import { StringDecoder } from 'node:string_decoder';

/** One server-sent event: its `event:` name (if any), its joined `data:` lines, and its exact text. */
export interface SseFrame {
  event?: string;
  data: string;
  /** The event as received, terminator included, to forward unchanged. */
  raw: string;
}

/**
 * Incremental SSE framing over byte chunks. Only complete events come out, so a gateway that
 * forwards `raw` never leaves a client with half an event when it must append an error.
 */
export class SseSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';

  push(chunk: Buffer): SseFrame[] {
    this.pending += this.decoder.write(chunk);
    const frames: SseFrame[] = [];
    let start = 0;
    for (;;) {
      const end = this.nextBoundary(start);
      if (end === -1) break;
      const raw = this.pending.slice(start, end);
      start = end;
      const frame = parseFrame(raw);
      if (frame) frames.push(frame);
    }
    this.pending = start === 0 ? this.pending : this.pending.slice(start);
    return frames;
  }

  /** Text left without a terminator when the stream ended. */
  get rest(): string {
    return this.pending + this.decoder.end();
  }

  /** Index just past the next blank line (`\n\n` or `\r\n\r\n`), or -1. */
  private nextBoundary(from: number): number {
    const lf = this.pending.indexOf('\n\n', from);
    const crlf = this.pending.indexOf('\r\n\r\n', from);
    if (crlf !== -1 && (lf === -1 || crlf < lf)) return crlf + 4;
    return lf === -1 ? -1 : lf + 2;
  }
}

function parseFrame(raw: string): SseFrame | null {
  let event: string | undefined;
  let data: string | undefined;
  for (const line of raw.split('\n')) {
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (text === '' || text.startsWith(':')) continue;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    const value = colon === -1 ? '' : text.slice(text.charCodeAt(colon + 1) === 32 ? colon + 2 : colon + 1);
    if (field === 'event') event = value;
    else if (field === 'data') data = data === undefined ? value : `${data}\n${value}`;
  }
  if (data === undefined && event === undefined) return null;
  return { event, data: data ?? '', raw };
}
