/**
 * The request-body bytes one api process holds at once for the gateway, across all requests
 * (GATEWAY_BODY_BYTES_IN_FLIGHT). Bytes are counted as they arrive and given back when the
 * request is over, so many large uploads at once meet a 503 instead of exhausting memory.
 */
export class BodyBudget {
  private used = 0;

  constructor(readonly limit: number) {}

  get inUse(): number {
    return this.used;
  }

  /** Whether `bytes` more fit now (a declared content-length, checked before reading anything). */
  fits(bytes: number): boolean {
    return this.used + bytes <= this.limit;
  }

  /** Takes `bytes` if they fit; false otherwise (nothing taken). */
  take(bytes: number): boolean {
    if (this.used + bytes > this.limit) return false;
    this.used += bytes;
    return true;
  }

  give(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}
