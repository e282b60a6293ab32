// What a streamed answer is made of, independent of the wire format: events written at once
// when the response starts (head), events of which `token` ones are paced (body), and the
// final events (tail). Faults act on the body by counting token events.

export interface PlanEvent {
  sse: string;
  token: boolean;
}

export interface StreamPlan {
  head: string[];
  body: PlanEvent[];
  tail: string[];
}

export interface WireFormat {
  /** The provider's error body for a status. */
  errorBody(status: number, message: string, type?: string): unknown;
  /** The id header name the provider uses (`request-id` / `x-request-id`). */
  requestIdHeader: string;
  /** The SSE the provider sends for an error after HTTP 200. */
  errorEvent(message: string, type?: string): string;
  /** An SSE event whose data is not valid JSON. */
  malformedEvent: string;
  /** A JSON body cut short. */
  malformedBody(id: string): string;
  modelsBody(models: string[]): unknown;
  modelBody(model: string): unknown;
}

export const sse = (event: string | undefined, data: unknown): string =>
  `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;

/** Inserts `ping` after every `every` token events (Anthropic). */
export function withPings(events: PlanEvent[], every: number, ping: string): PlanEvent[] {
  if (!(every > 0)) return events;
  const out: PlanEvent[] = [];
  let tokens = 0;
  for (const e of events) {
    out.push(e);
    if (e.token && ++tokens % every === 0) out.push({ sse: ping, token: false });
  }
  return out;
}
