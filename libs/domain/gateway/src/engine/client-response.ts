import type { ServerResponse } from 'node:http';
import { GATEWAY_ERROR_CODE_HEADER, type GatewayErrorCode, type WireFormat } from '@slipway/contracts';
import { anthropicErrorBody, errorTypeFor, openaiCodeFor, openaiErrorBody } from '../translate';

/** Headers every gateway answer carries, so a user can quote one id to support. */
export interface AnswerMeta {
  requestId: string;
  provider?: string;
  model?: string;
}

/** Adds the answer's meta headers (and any extra ones) to `headers`; written out, not spread, as this runs for every answer. */
function withMeta(headers: Record<string, string | number>, meta: AnswerMeta, extra?: Record<string, string>): Record<string, string | number> {
  headers['x-slipway-request-id'] = meta.requestId;
  // Both are safe header values: provider names are slugs, model ids match MODEL_ID_PATTERN.
  if (meta.provider) headers['x-slipway-provider'] = meta.provider;
  if (meta.model) headers['x-slipway-model'] = meta.model;
  if (extra) for (const name in extra) headers[name] = extra[name]!;
  return headers;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, meta: AnswerMeta, extra?: Record<string, string>): void {
  if (res.headersSent || res.destroyed) return;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, withMeta({ 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }, meta, extra));
  res.end(text);
}

export interface ErrorAnswer {
  status: number;
  message: string;
  /** Overrides the type derived from the status (e.g. `overloaded_error`). */
  type?: string;
  /** Whole seconds; sent as `retry-after` (SDKs honour it). */
  retryAfterSeconds?: number;
  /** `false` tells SDKs not to retry (an exhausted budget will not recover in seconds). */
  shouldRetry?: boolean;
  /** The stable code of a gateway refusal: in the body's `error.code` and the `x-slipway-error-code` header. */
  code?: GatewayErrorCode;
}

/**
 * An error in the shape the client's SDK parses: Anthropic `{type:"error",error}` or OpenAI
 * `{error}`. The gateway's stable code is always in `x-slipway-error-code`; in the body it is
 * Anthropic's `error.code`, while OpenAI's `error.code` keeps OpenAI's own meaning where OpenAI
 * defines one (`invalid_api_key`, `model_not_found`).
 */
export function sendError(res: ServerResponse, format: WireFormat, answer: ErrorAnswer, meta: AnswerMeta): void {
  const type = answer.type ?? errorTypeFor(format, answer.status);
  const body = format === 'anthropic' ? anthropicErrorBody(type, answer.message, answer.code) : openaiErrorBody(type, answer.message, openaiCodeFor(answer.status) ?? answer.code ?? null);
  const extra: Record<string, string> = {};
  if (answer.code !== undefined) extra[GATEWAY_ERROR_CODE_HEADER] = answer.code;
  if (answer.retryAfterSeconds !== undefined) extra['retry-after'] = String(Math.max(1, Math.ceil(answer.retryAfterSeconds)));
  if (answer.shouldRetry !== undefined) extra['x-should-retry'] = String(answer.shouldRetry);
  sendJson(res, answer.status, body, meta, extra);
}

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  // Tells nginx-style proxies in front of us not to buffer the stream.
  'x-accel-buffering': 'no',
} as const;

export function startStream(res: ServerResponse, meta: AnswerMeta): void {
  res.writeHead(200, withMeta({ ...SSE_HEADERS }, meta));
  res.flushHeaders();
}

/** For adapters answering before the engine runs (e.g. an oversized body). */
export function sendGatewayError(res: ServerResponse, format: WireFormat, answer: ErrorAnswer, requestId: string): void {
  sendError(res, format, answer, { requestId });
}
