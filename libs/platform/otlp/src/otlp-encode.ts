import { SpanKind, SpanStatusCode, ValueType, type HrTime } from '@opentelemetry/api';
import {
  JsonLogsSerializer,
  JsonMetricsSerializer,
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { AggregationTemporality, DataPointType, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { OtlpBatch, OtlpLogRecord, OtlpMetric, OtlpProtocol, OtlpResource, OtlpResourceMetrics, OtlpSpan } from './otlp-records';

/**
 * One OTLP/HTTP request body for a batch, written by OpenTelemetry's own serializers
 * (`@opentelemetry/otlp-transformer`): the exact JSON mapping and protobuf wire format the SDK
 * exporters send, so any OTLP receiver reads it.
 */
export function encodeOtlp(batch: OtlpBatch, protocol: OtlpProtocol): Uint8Array {
  const resources = new ResourceCache();
  switch (batch.signal) {
    case 'traces':
      return serialize(protocol === 'json' ? JsonTraceSerializer : ProtobufTraceSerializer, batch.spans.map((s) => toReadableSpan(s, resources)));
    case 'logs':
      return serialize(protocol === 'json' ? JsonLogsSerializer : ProtobufLogsSerializer, batch.records.map((r) => toReadableLog(r, resources)));
    case 'metrics':
      return encodeMetrics(batch.resources, protocol);
  }
}

export const OTLP_CONTENT_TYPE: Record<OtlpProtocol, string> = { json: 'application/json', protobuf: 'application/x-protobuf' };

function serialize<T>(serializer: { serializeRequest(request: T): Uint8Array | undefined }, request: T): Uint8Array {
  const body = serializer.serializeRequest(request);
  if (!body) throw new Error('the OpenTelemetry serializer produced no request body');
  return body;
}

/**
 * The SDK's metrics serializers take one resource per request; a batch holds many (one per
 * release). Protobuf appends repeated fields when messages are concatenated, so the bodies of
 * one-resource requests joined are one request with every resource; JSON bodies are merged.
 */
function encodeMetrics(batch: OtlpResourceMetrics[], protocol: OtlpProtocol): Uint8Array {
  const bodies = batch.map((r) => serialize(protocol === 'json' ? JsonMetricsSerializer : ProtobufMetricsSerializer, toResourceMetrics(r)));
  if (protocol === 'protobuf') return Buffer.concat(bodies);
  const resourceMetrics = bodies.flatMap((b) => (JSON.parse(Buffer.from(b).toString('utf8')) as { resourceMetrics: unknown[] }).resourceMetrics);
  return Buffer.from(JSON.stringify({ resourceMetrics }));
}

/** The serializers group records by resource object: one SDK resource per attributes object. */
class ResourceCache {
  private readonly byAttributes = new Map<OtlpResource, Resource>();
  get(attributes: OtlpResource): Resource {
    let resource = this.byAttributes.get(attributes);
    if (!resource) this.byAttributes.set(attributes, (resource = resourceFromAttributes({ ...attributes })));
    return resource;
  }
}

const hrTime = (ms: number): HrTime => [Math.floor(ms / 1000), Math.round((ms % 1000) * 1e6)];

function toResourceMetrics(r: OtlpResourceMetrics): ResourceMetrics {
  return { resource: resourceFromAttributes({ ...r.resource }), scopeMetrics: [{ scope: r.scope, metrics: r.metrics.map(toMetricData) }] };
}

function toMetricData(metric: OtlpMetric): MetricData {
  const descriptor = { name: metric.name, unit: metric.unit, description: metric.description, valueType: ValueType.INT };
  if (metric.kind === 'counter') {
    return {
      descriptor,
      aggregationTemporality: AggregationTemporality.DELTA,
      dataPointType: DataPointType.SUM,
      isMonotonic: true,
      dataPoints: metric.points.map((p) => ({ attributes: { ...p.attributes }, startTime: hrTime(p.startMs), endTime: hrTime(p.endMs), value: p.value })),
    };
  }
  return {
    descriptor: { ...descriptor, valueType: ValueType.DOUBLE },
    aggregationTemporality: AggregationTemporality.DELTA,
    dataPointType: DataPointType.HISTOGRAM,
    dataPoints: metric.points.map((p) => ({
      attributes: { ...p.attributes },
      startTime: hrTime(p.startMs),
      endTime: hrTime(p.endMs),
      // No sum, min or max: the edge keeps bucket counts only, and OTLP lets all three be absent.
      value: { buckets: { boundaries: [...p.bounds], counts: [...p.counts] }, count: p.counts.reduce((a, b) => a + b, 0) },
    })),
  };
}

const SPAN_KIND = { server: SpanKind.SERVER, client: SpanKind.CLIENT, internal: SpanKind.INTERNAL } as const;
const STATUS_CODE = { unset: SpanStatusCode.UNSET, ok: SpanStatusCode.OK, error: SpanStatusCode.ERROR } as const;

function toReadableSpan(span: OtlpSpan, resources: ResourceCache): ReadableSpan {
  const context = { traceId: span.traceId, spanId: span.spanId, traceFlags: 1 };
  const durationMs = Math.max(0, span.endMs - span.startMs);
  return {
    name: span.name,
    kind: SPAN_KIND[span.kind],
    spanContext: () => context,
    startTime: hrTime(span.startMs),
    endTime: hrTime(span.startMs + durationMs),
    duration: hrTime(durationMs),
    status: { code: STATUS_CODE[span.status.code], message: span.status.message },
    attributes: { ...span.attributes },
    links: [],
    events: [],
    ended: true,
    resource: resources.get(span.resource),
    instrumentationScope: span.scope,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

function toReadableLog(record: OtlpLogRecord, resources: ResourceCache): ReadableLogRecord {
  return {
    hrTime: hrTime(record.timeMs),
    hrTimeObserved: hrTime(record.observedMs),
    severityNumber: record.severityNumber,
    severityText: record.severityText,
    body: record.body,
    resource: resources.get(record.resource),
    instrumentationScope: record.scope,
    attributes: { ...record.attributes },
    droppedAttributesCount: 0,
  };
}
