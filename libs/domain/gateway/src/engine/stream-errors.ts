import type { FailureCategory } from '@slipway/contracts';

/**
 * A stream that broke after its first byte is recorded as an error (and counted in every error
 * count), with the status the provider would have answered had it failed before streaming:
 * from the type of its in-band error event, or from what the gateway saw (docs/gateway.md,
 * "Accounting rules").
 */
export function statusOfStreamError(type: string): number {
  if (type.includes('overloaded')) return 529;
  if (type.includes('rate_limit') || type === 'insufficient_quota') return 429;
  if (type.includes('timeout')) return 504;
  if (type === 'invalid_request_error' || type === 'request_too_large') return 400;
  return 500; // api_error, server_error and types we do not know
}

export function categoryOfStreamError(type: string): FailureCategory {
  if (type.includes('overloaded')) return 'overloaded';
  if (type.includes('rate_limit') || type === 'insufficient_quota') return 'rate_limit';
  if (type.includes('timeout')) return 'timeout';
  return 'server_error';
}

/** What the gateway itself saw break: the connection cut (502), silence past the idle timeout (504), an event it could not read (502). */
export function statusOfBrokenCategory(category: FailureCategory): number {
  return category === 'timeout' ? 504 : 502;
}
