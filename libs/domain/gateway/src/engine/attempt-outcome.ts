import type { FailureCategory, TokenUsage, WireFormat } from '@slipway/contracts';

export type AttemptOutcome =
  /** The client got a complete answer. `estimated`: the provider never reported its usage (usage-estimate.ts). */
  | { kind: 'answered'; usage: TokenUsage; estimated: boolean; ttftMs: number | null; servedModel: string }
  /**
   * A stream failed after its first byte: the client got an error event, never a clean end.
   * `status` is what the call is recorded with (stream-errors.ts).
   */
  | { kind: 'broken'; category: FailureCategory; status: number; usage: TokenUsage; estimated: boolean; ttftMs: number | null; servedModel: string }
  /** Nothing reached the client: the engine may retry or fall back. */
  | { kind: 'failed'; category: FailureCategory; message: string; status: number | null; errorBody: string | null; upstreamFormat: WireFormat; retryAfter: string | null; retryAfterMs: string | null; shouldRetry: string | null }
  /** The client went away; once the request reached a provider, what it generated so far (estimated when the provider never said). */
  | { kind: 'aborted'; usage?: TokenUsage; estimated?: boolean; ttftMs?: number | null; servedModel?: string };

/** A failure before anything reached the client, with the provider's retry hints. */
export function failed(
  category: FailureCategory,
  message: string,
  status: number | null,
  errorBody: string | null,
  upstreamFormat: WireFormat,
  headers: Record<string, string | string[] | undefined>,
): AttemptOutcome {
  const header = (name: string) => {
    const v = headers[name];
    return typeof v === 'string' ? v : null;
  };
  return { kind: 'failed', category, message, status, errorBody, upstreamFormat, retryAfter: header('retry-after'), retryAfterMs: header('retry-after-ms'), shouldRetry: header('x-should-retry') };
}
