import type { TokenUsage } from '@slipway/contracts';
import type { SseEvent } from './sse';

/** Why the upstream stream failed in-band (an error event, a malformed event). */
export interface UpstreamStreamError {
  type: string;
  message: string;
}

/**
 * Translates one streamed response, event by event. push() never throws: an upstream error
 * event or an event that is not JSON is written to the client as an in-band error, and
 * `upstreamError` is set (the stream is over; later pushes return '').
 */
export interface StreamTranslator {
  /** One upstream event in, the SSE-framed bytes to write to the client now ('' when none). */
  push(event: SseEvent): string;
  /** Usage seen so far (cumulative), normalised, from the upstream's own counters. */
  usage(): TokenUsage;
  /** True once the upstream signalled a proper end (Anthropic message_stop / OpenAI [DONE] or finish + usage). */
  readonly finished: boolean;
  /** Set when the upstream reported an error in-band or sent an unparseable event. */
  readonly upstreamError: UpstreamStreamError | null;
  /** Bytes that close the client stream properly after a clean upstream end (e.g. `data: [DONE]`). */
  end(): string;
  /** Bytes of an in-band error in the client's format, for an upstream that broke mid-stream. Never a clean end. */
  error(type: string, message: string): string;
}

export interface StreamTranslatorOptions {
  /**
   * The model named in every event when the upstream does not name one (docs/gateway.md: the
   * response `model` is the model that served the call, as the provider names it).
   */
  model: string;
  /** The request's input-token estimate: what `message_start` reports when the upstream only reports usage at the end (OpenAI → Anthropic). */
  inputTokensEstimate?: number;
  /** Response id to use instead of the upstream's. */
  id?: string;
  /** OpenAI client asked for stream_options.include_usage (a final `choices: []` chunk with usage). */
  includeUsage?: boolean;
}

export interface UsageObserver {
  observe(event: SseEvent): void;
  usage(): TokenUsage;
  readonly finished: boolean;
  /** Set when the upstream sent an in-band error event. */
  readonly upstreamError: UpstreamStreamError | null;
}

export const MALFORMED_EVENT = 'The upstream provider sent a malformed stream event.';
