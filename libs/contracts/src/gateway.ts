import { z } from 'zod';

/**
 * Shapes shared by the model gateway (api), the usage consumer (worker) and the console.
 * The `gateway:` section of slipway.yaml is `gatewayConfigSchema`; see docs/gateway.md.
 */

/** Prefix of every gateway key: recognisable in leaks and secret scanners. */
export const GATEWAY_KEY_PREFIX = 'sk-slw-';

/** `messages` = POST /v1/messages, /v1/chat/completions, count_tokens; `models` = GET /v1/models. */
export const GATEWAY_KEY_SCOPES = ['messages', 'models'] as const;
export const gatewayKeyScopeSchema = z.enum(GATEWAY_KEY_SCOPES);
export type GatewayKeyScope = z.infer<typeof gatewayKeyScopeSchema>;

/** The two wire formats a client may speak (and a provider may expect). */
export const WIRE_FORMATS = ['anthropic', 'openai'] as const;
export type WireFormat = (typeof WIRE_FORMATS)[number];

/**
 * A model id or alias as clients send it and routes name it: printable ASCII without spaces.
 * Such names become routing keys, metric labels and response headers.
 */
export const MODEL_ID_PATTERN = /^[\x21-\x7e]{1,256}$/;

/** Name of the built-in provider that is always available and needs no credentials. */
export const MOCK_PROVIDER = 'mock';

export const PROVIDER_KINDS = ['ANTHROPIC', 'OPENAI', 'OPENAI_COMPATIBLE'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/**
 * Why an attempt failed, as used by `fallbackOn`, usage events and metrics. `client` errors
 * (400, 404, 413 …) never fall back: another provider would reject the same request.
 */
export const FAILURE_CATEGORIES = ['rate_limit', 'overloaded', 'server_error', 'timeout', 'connection', 'auth', 'stream_cut', 'client'] as const;
export type FailureCategory = (typeof FAILURE_CATEGORIES)[number];
export const RETRYABLE_CATEGORIES: readonly FailureCategory[] = ['rate_limit', 'overloaded', 'server_error', 'timeout', 'connection'];

/** Gateway-side rejections, recorded as the error category of a request that never reached a provider. */
export const REJECTION_CATEGORIES = ['invalid_request', 'unauthenticated', 'budget_exceeded', 'rate_limited', 'capacity', 'no_route', 'metering_unavailable'] as const;
export type RejectionCategory = (typeof REJECTION_CATEGORIES)[number];

/** Token counts of one call, by kind; input excludes cache reads and writes (as Anthropic reports). */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

/** USD per million tokens of each kind. */
export const modelPricesSchema = z.strictObject({
  input: z.number().min(0),
  output: z.number().min(0),
  cacheRead: z.number().min(0).optional(),
  cacheWrite: z.number().min(0).optional(),
});
export type ModelPrices = z.infer<typeof modelPricesSchema>;

/** What a model can do and costs; the catalog holds one per `provider kind/model`. */
export const modelInfoSchema = z.strictObject({
  contextWindow: z.number().int().min(1),
  maxOutputTokens: z.number().int().min(1).optional(),
  tools: z.boolean(),
  vision: z.boolean(),
  streaming: z.boolean(),
  prices: modelPricesSchema,
});
export type ModelInfo = z.infer<typeof modelInfoSchema>;

/** One event per gateway request, XADDed to Redis (USAGE_STREAM) and written to Postgres by the worker. */
export const usageEventSchema = z.object({
  id: z.string(),
  at: z.string(),
  organizationId: z.string(),
  projectId: z.string(),
  environmentId: z.string().nullable(),
  releaseId: z.string().nullable(),
  keyId: z.string(),
  feature: z.string().nullable(),
  customer: z.string().nullable(),
  /** `slipway-call-id` of the published-API call this request served; absent in events of older gateways. */
  apiCallId: z.string().nullable().optional(),
  api: z.enum(WIRE_FORMATS),
  modelRequested: z.string(),
  modelServed: z.string().nullable(),
  provider: z.string().nullable(),
  status: z.number().int(),
  errorCategory: z.string().nullable(),
  latencyMs: z.number().int(),
  ttftMs: z.number().int().nullable(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  cacheReadTokens: z.number().int(),
  cacheWriteTokens: z.number().int(),
  costMicros: z.number().int(),
  retries: z.number().int(),
  fallbackChain: z.array(z.string()),
  streamed: z.boolean(),
});
export type UsageEvent = z.infer<typeof usageEventSchema>;

/** Redis stream the gateway appends usage events to. */
export const USAGE_STREAM = 'slipway:gateway:usage';

/**
 * Stable codes of the gateway's own refusals. The gateway answers in the client's wire format
 * (Anthropic `{type:"error",error:{type,message,code}}`, OpenAI `{error:{message,type,param,code}}`),
 * so the code travels in `error.code` and in the `x-slipway-error-code` header; clients branch on
 * it, never on the message. A code is never renamed once shipped.
 */
export const GATEWAY_ERROR_CODES = {
  /** 401: not a Slipway gateway key, or one that no longer exists (its project was deleted). */
  KEY_INVALID: 'key_invalid',
  KEY_REVOKED: 'key_revoked',
  KEY_EXPIRED: 'key_expired',
  /** 401: the key belonged to an environment that was deleted. */
  KEY_ENVIRONMENT_DELETED: 'key_environment_deleted',
  /** 503: a budget applies but its spend can be read neither from Redis nor from PostgreSQL; the call is refused, never let through unmetered. */
  METERING_UNAVAILABLE: 'metering_unavailable',
  /** 503: the usage stream holds more unwritten records than GATEWAY_USAGE_BACKLOG_MAX_ENTRIES; new calls wait until the worker catches up. */
  USAGE_BACKLOG: 'usage_backlog',
} as const;
export type GatewayErrorCode = (typeof GATEWAY_ERROR_CODES)[keyof typeof GATEWAY_ERROR_CODES];

/** Header carrying a gateway refusal's code (also in the body's `error.code`). */
export const GATEWAY_ERROR_CODE_HEADER = 'x-slipway-error-code';
