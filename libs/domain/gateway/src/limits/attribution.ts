/** Who a request's spend is attributed to, beyond the key and project. */
export interface Attribution {
  feature: string | null;
  customer: string | null;
  /** The published-API call this request serves (the edge's `slipway-call-id`, forwarded by the app): per-token plans price it. */
  apiCallId?: string | null;
}

export const FEATURE_HEADER = 'x-slipway-feature';
export const CUSTOMER_HEADER = 'x-slipway-customer';
/** MARKETPLACE_FORWARDED_HEADERS.callId, as the edge sent it to the app. */
export const API_CALL_HEADER = 'slipway-call-id';
/** Same bound as a budget's `match`: longer values could never be matched by one. */
const MAX_LENGTH = 200;

/**
 * Headers win (the app says it explicitly); otherwise the customer comes from the field each
 * wire format already has for end users: Anthropic `metadata.user_id`, OpenAI `user`.
 * Node lowercases incoming header names, so lookups use the lowercase name.
 */
export function attributionOf(
  headers: Record<string, string | string[] | undefined>,
  format: 'anthropic' | 'openai',
  body: Record<string, unknown>,
): Attribution {
  const apiCallId = clean(first(headers[API_CALL_HEADER]));
  return {
    ...(apiCallId === null ? {} : { apiCallId }),
    feature: clean(first(headers[FEATURE_HEADER])),
    customer: clean(first(headers[CUSTOMER_HEADER])) ?? clean(format === 'anthropic' ? anthropicUserId(body) : body['user']),
  };
}

function anthropicUserId(body: Record<string, unknown>): unknown {
  const metadata = body['metadata'];
  return metadata !== null && typeof metadata === 'object' ? (metadata as Record<string, unknown>)['user_id'] : undefined;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function clean(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed.slice(0, MAX_LENGTH);
}
