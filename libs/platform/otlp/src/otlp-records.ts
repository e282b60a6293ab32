/**
 * What Slipway hands to the OTLP encoder: plain records with OpenTelemetry's attribute names
 * already chosen by the domain. The encoder turns them into the SDK's shapes only to run
 * OpenTelemetry's own serializers, so no SDK type leaks out of this lib.
 */

export type OtlpSignal = 'metrics' | 'traces' | 'logs';
export type OtlpProtocol = 'json' | 'protobuf';

export type OtlpAttributeValue = string | number | boolean | string[];
export type OtlpAttributes = Readonly<Record<string, OtlpAttributeValue>>;

/**
 * A resource (one Slipway release): records that share one attributes object (identity, not
 * equal content) are grouped under one resource in the request.
 */
export type OtlpResource = OtlpAttributes;

/** Who produced the records (OTLP's instrumentation scope). */
export interface OtlpScope {
  name: string;
  version?: string;
}

interface OtlpPoint {
  attributes: OtlpAttributes;
  startMs: number;
  endMs: number;
}

/** Explicit-bucket histogram point: `counts` has `bounds.length + 1` entries (the last is +Inf), per bucket, not cumulative. */
export interface OtlpHistogramPoint extends OtlpPoint {
  bounds: readonly number[];
  counts: readonly number[];
}

export interface OtlpSumPoint extends OtlpPoint {
  value: number;
}

/** Delta temporality only: each point covers [startMs, endMs) and never repeats. */
export type OtlpMetric =
  | { kind: 'histogram'; name: string; unit: string; description: string; points: OtlpHistogramPoint[] }
  | { kind: 'counter'; name: string; unit: string; description: string; points: OtlpSumPoint[] };

export interface OtlpResourceMetrics {
  resource: OtlpResource;
  scope: OtlpScope;
  metrics: OtlpMetric[];
}

export interface OtlpSpan {
  resource: OtlpResource;
  scope: OtlpScope;
  /** 32 lower-case hex digits. */
  traceId: string;
  /** 16 lower-case hex digits. */
  spanId: string;
  name: string;
  kind: 'server' | 'client' | 'internal';
  startMs: number;
  endMs: number;
  attributes: OtlpAttributes;
  status: { code: 'unset' | 'ok' | 'error'; message?: string };
}

export interface OtlpLogRecord {
  resource: OtlpResource;
  scope: OtlpScope;
  timeMs: number;
  observedMs: number;
  /** OpenTelemetry severity number (1–24; 0 = unspecified). */
  severityNumber: number;
  severityText?: string;
  body: string;
  attributes: OtlpAttributes;
}

export type OtlpBatch =
  | { signal: 'metrics'; resources: OtlpResourceMetrics[] }
  | { signal: 'traces'; spans: OtlpSpan[] }
  | { signal: 'logs'; records: OtlpLogRecord[] };
