/**
 * Why a call failed, as the gateway's failure categories name it. `refused`: the address policy
 * would not connect to where the provider's host points (loopback, private, metadata…).
 */
export type TransportFailure = 'timeout' | 'connection' | 'aborted' | 'refused';

export class UpstreamError extends Error {
  constructor(
    readonly failure: TransportFailure,
    message: string,
  ) {
    super(message);
  }
}

/** Maps a socket or HTTP error (thrown by request() or emitted by a body) to a failure category. */
export function toUpstreamError(err: unknown): UpstreamError {
  if (err instanceof UpstreamError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: string } | null)?.code;
  if (code === 'ETIMEDOUT') return new UpstreamError('timeout', message);
  if (code === 'ABORT_ERR' || (err instanceof Error && err.name === 'AbortError')) return new UpstreamError('aborted', message);
  return new UpstreamError('connection', message);
}
