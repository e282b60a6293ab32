import {
  JsonLogsSerializer,
  JsonMetricsSerializer,
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import type { OtlpProtocol, OtlpSignal } from './otlp-records';

/**
 * What became of one batch:
 * - `delivered`: 2xx (records the collector refused in a partial success are counted in `rejected`);
 * - `retry`: the collector may take it later (429, 5xx, 401/403/404 — an address or credential
 *   an operator fixes —, network errors): send the same records again after `retryAfterMs` or a back-off;
 * - `rejected`: the collector will never take this body (400, 413, 422): drop it, log it, go on.
 */
export type OtlpDelivery = {
  outcome: 'delivered' | 'retry' | 'rejected';
  status: number | null;
  /** From Retry-After (seconds or an HTTP date), when the collector sent one. */
  retryAfterMs: number | null;
  detail: string;
  rejected?: number;
  bytes: number;
};

/** Answers that mean "this body is wrong", after which sending it again cannot help. */
const REJECTED = new Set([400, 413, 422]);

export function classifyAnswer(signal: OtlpSignal, protocol: OtlpProtocol, status: number, retryAfter: string | null, body: Uint8Array): Omit<OtlpDelivery, 'bytes'> {
  if (status >= 200 && status < 300) {
    const partial = partialSuccess(signal, protocol, body);
    return { outcome: 'delivered', status, retryAfterMs: null, detail: partial.message, rejected: partial.rejected };
  }
  const detail = `HTTP ${status}${describeBody(body)}`;
  if (REJECTED.has(status)) return { outcome: 'rejected', status, retryAfterMs: null, detail };
  return { outcome: 'retry', status, retryAfterMs: parseRetryAfter(retryAfter, Date.now()), detail };
}

/** `Retry-After: 120` or `Retry-After: Wed, 21 Oct 2026 07:28:00 GMT` → milliseconds from `now` (never negative); null if absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null || value.trim() === '') return null;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

const RESPONSE_SERIALIZERS = {
  json: { metrics: JsonMetricsSerializer, traces: JsonTraceSerializer, logs: JsonLogsSerializer },
  protobuf: { metrics: ProtobufMetricsSerializer, traces: ProtobufTraceSerializer, logs: ProtobufLogsSerializer },
} as const;

/** OTLP's partial success: the collector took the request but refused some records (with a reason). */
function partialSuccess(signal: OtlpSignal, protocol: OtlpProtocol, body: Uint8Array): { rejected: number; message: string } {
  if (body.byteLength === 0) return { rejected: 0, message: '' };
  try {
    const answer = RESPONSE_SERIALIZERS[protocol][signal].deserializeResponse(body) as { partialSuccess?: Record<string, unknown> };
    const p = answer.partialSuccess ?? {};
    const rejected = Number(p['rejectedDataPoints'] ?? p['rejectedSpans'] ?? p['rejectedLogRecords'] ?? 0);
    return { rejected: Number.isFinite(rejected) ? rejected : 0, message: typeof p['errorMessage'] === 'string' ? p['errorMessage'] : '' };
  } catch {
    return { rejected: 0, message: '' };
  }
}

/** The start of the collector's error text, for the log line (bodies can be protobuf Status: printable characters only). */
function describeBody(body: Uint8Array): string {
  const text = Buffer.from(body.subarray(0, 300)).toString('utf8').replace(/[^\x20-\x7e]+/g, ' ').trim();
  return text ? `: ${text}` : '';
}
