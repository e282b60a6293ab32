// Error bodies in each client format. The official SDKs build their error classes from the
// status; the body's type and message are what users read, so the message is always kept.
import type { WireFormat } from '@slipway/contracts';
import { obj, str, tryParse } from './json';

const ANTHROPIC_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

const OPENAI_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'invalid_request_error',
  429: 'rate_limit_error',
  500: 'server_error',
  529: 'server_error',
};

/**
 * OpenAI's own `error.code` for these statuses, which OpenAI SDK users branch on: a key refused
 * (missing, invalid, revoked, expired) is `invalid_api_key`, an unknown model `model_not_found`.
 */
const OPENAI_CODES: Record<number, string> = { 401: 'invalid_api_key', 404: 'model_not_found' };

export function openaiCodeFor(status: number): string | null {
  return OPENAI_CODES[status] ?? null;
}

/** Upstream error messages are echoed to clients; an HTML error page is cut to a readable size. */
const MAX_MESSAGE = 1000;

export function errorTypeFor(format: WireFormat, status: number): string {
  const known = (format === 'anthropic' ? ANTHROPIC_TYPES : OPENAI_TYPES)[status];
  if (known) return known;
  if (status >= 500) return format === 'anthropic' ? 'api_error' : 'server_error';
  return 'invalid_request_error';
}

/** `code` (a gateway refusal's stable code) is added only when given: provider errors keep Anthropic's exact shape. */
export function anthropicErrorBody(type: string, message: string, code?: string): { type: 'error'; error: { type: string; message: string; code?: string } } {
  return { type: 'error', error: code === undefined ? { type, message } : { type, message, code } };
}

export function openaiErrorBody(
  type: string,
  message: string,
  code: string | null = null,
  param: string | null = null,
): { error: { message: string; type: string; param: string | null; code: string | null } } {
  return { error: { message, type, param, code } };
}

interface UpstreamError {
  message: string;
  type?: string;
  code?: string;
  param?: string;
}

/** Reads an upstream error body of either format (or plain text, or an HTML page). */
export function parseUpstreamError(status: number, raw: string): UpstreamError {
  const parsed = obj(tryParse(raw));
  if (parsed) {
    const err = obj(parsed.error);
    const message = str(err?.message) ?? str(parsed.error) ?? str(parsed.message) ?? str(parsed.detail);
    if (message !== undefined) {
      const out: UpstreamError = { message: clip(message) };
      const type = str(err?.type) ?? str(parsed.type);
      if (type && type !== 'error') out.type = type;
      const code = str(err?.code) ?? (typeof err?.code === 'number' ? String(err.code) : undefined);
      if (code) out.code = code;
      const param = str(err?.param);
      if (param) out.param = param;
      return out;
    }
  }
  const text = raw.trim();
  return { message: text.length > 0 ? clip(text) : `The upstream provider answered HTTP ${status}.` };
}

export function translateErrorBody(upstream: WireFormat, client: WireFormat, status: number, raw: string): Record<string, unknown> {
  const err = parseUpstreamError(status, raw);
  // A type is only meaningful in the format that defined it.
  const type = upstream === client && err.type ? err.type : errorTypeFor(client, status);
  if (client === 'anthropic') return anthropicErrorBody(type, err.message);
  return openaiErrorBody(type, err.message, upstream === 'openai' ? (err.code ?? null) : openaiCodeFor(status), err.param ?? null);
}

function clip(s: string): string {
  return s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE)}…` : s;
}
