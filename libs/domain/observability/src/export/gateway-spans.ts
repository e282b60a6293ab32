import { createHash } from 'node:crypto';
import type { OtlpAttributes, OtlpResource, OtlpScope, OtlpSpan } from '@slipway/otlp';

/** One GatewayRequest row, as the export reads it. */
export interface GatewayRequestRow {
  id: string;
  projectId: string;
  environmentId: string | null;
  releaseId: string | null;
  feature: string | null;
  /** `anthropic` or `openai`: the wire format the app spoke. */
  api: string;
  modelRequested: string;
  modelServed: string | null;
  provider: string | null;
  status: number;
  errorCategory: string | null;
  latencyMs: number;
  ttftMs: number | null;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costMicros: number;
  retries: number;
  fallbackChain: string[];
  streamed: boolean;
  /** Arrival of the call. */
  createdAt: Date;
}

export const GATEWAY_SCOPE: OtlpScope = { name: 'slipway.gateway' };

/**
 * Ids derived from the request id: a span exported again (a pass that died after the collector
 * answered, before its cursor moved) carries the same ids, which backends deduplicate. The
 * gateway starts no trace of the app's, so each call is its own trace.
 */
export function spanIds(requestId: string): { traceId: string; spanId: string } {
  const digest = createHash('sha256').update(`slipway.gateway:${requestId}`).digest('hex');
  return { traceId: digest.slice(0, 32), spanId: digest.slice(32, 48) };
}

/**
 * One model call through the gateway → one SERVER span (the gateway served the app's request),
 * named `{gen_ai.operation.name} {gen_ai.request.model}` as the GenAI conventions name model
 * calls. `gen_ai.provider.name` is the current name of the provider attribute and
 * `gen_ai.system` the one older backends read: both are set. Cost, retries and the fallback
 * chain have no convention: `slipway.gateway.*`. The end customer (`customer` column) is left
 * out: it is the app's data, and the collector is the installation operator's.
 */
export function gatewaySpan(row: GatewayRequestRow, resource: OtlpResource): OtlpSpan {
  const attributes: Record<string, OtlpAttributes[string]> = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.request.model': row.modelRequested,
    'gen_ai.usage.input_tokens': row.inputTokens,
    'gen_ai.usage.output_tokens': row.outputTokens,
    'gen_ai.usage.cache_read.input_tokens': row.cacheReadTokens,
    'gen_ai.usage.cache_creation.input_tokens': row.cacheWriteTokens,
    'http.response.status_code': row.status,
    'slipway.gateway.request_id': row.id,
    'slipway.gateway.api': row.api,
    'slipway.gateway.cost_usd': row.costMicros / 1_000_000,
    'slipway.gateway.retries': row.retries,
    'slipway.gateway.fallbacks': Math.max(0, row.fallbackChain.length - 1),
    'slipway.gateway.fallback_chain': row.fallbackChain,
    'slipway.gateway.streamed': row.streamed,
  };
  if (row.provider) {
    attributes['gen_ai.provider.name'] = row.provider;
    attributes['gen_ai.system'] = row.provider;
  }
  if (row.modelServed) attributes['gen_ai.response.model'] = row.modelServed;
  if (row.ttftMs !== null) attributes['slipway.gateway.time_to_first_token_ms'] = row.ttftMs;
  if (row.feature) attributes['slipway.gateway.feature'] = row.feature;
  const failed = row.errorCategory !== null || row.status >= 400 || row.status === 0;
  // error.type: the convention's low-cardinality failure class; the gateway's category is one.
  if (failed) attributes['error.type'] = row.errorCategory ?? String(row.status);
  const startMs = row.createdAt.getTime();
  return {
    resource,
    scope: GATEWAY_SCOPE,
    ...spanIds(row.id),
    name: `chat ${row.modelRequested}`,
    kind: 'server',
    startMs,
    endMs: startMs + row.latencyMs,
    attributes,
    // The conventions leave a success's status unset; an error carries its class as the message.
    status: failed ? { code: 'error', message: row.errorCategory ?? `HTTP ${row.status}` } : { code: 'unset' },
  };
}
