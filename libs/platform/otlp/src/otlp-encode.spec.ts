import { describe, expect, it } from 'vitest';
import { decodeOtlpProtobuf } from '@slipway/testing';
import { encodeOtlp } from './otlp-encode';
import type { OtlpBatch, OtlpResource } from './otlp-records';

const releaseA: OtlpResource = { 'service.name': 'web', 'service.version': '1' };
const releaseB: OtlpResource = { 'service.name': 'web', 'service.version': '2' };
const scope = { name: 'slipway.test' };
const minute = Date.UTC(2026, 11, 7, 14, 0);

const metrics: OtlpBatch = {
  signal: 'metrics',
  resources: [releaseA, releaseB].map((resource, i) => ({
    resource,
    scope,
    metrics: [
      { kind: 'histogram', name: 'http.server.request.duration', unit: 's', description: 'd', points: [{ attributes: {}, startMs: minute, endMs: minute + 60_000, bounds: [0.005, 0.01], counts: [i + 1, 2, 3] }] },
      { kind: 'counter', name: 'slipway.http.server.request.count', unit: '{request}', description: 'c', points: [{ attributes: { 'slipway.http.status_class': '5xx' }, startMs: minute, endMs: minute + 60_000, value: 7 }] },
    ],
  })),
};

const traces: OtlpBatch = {
  signal: 'traces',
  spans: [
    {
      resource: releaseA,
      scope,
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      name: 'chat claude',
      kind: 'server',
      startMs: minute + 1.5,
      endMs: minute + 250,
      attributes: { 'gen_ai.usage.input_tokens': 12, 'slipway.gateway.fallback_chain': ['a/b:ok'] },
      status: { code: 'error', message: 'rate_limited' },
    },
  ],
};

const logs: OtlpBatch = {
  signal: 'logs',
  records: [{ resource: releaseA, scope, timeMs: minute, observedMs: minute + 5, severityNumber: 17, severityText: 'ERROR', body: 'boom', attributes: { 'log.iostream': 'stderr' } }],
};

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- OTLP bodies as a receiver reads them
const json = (b: Uint8Array) => JSON.parse(Buffer.from(b).toString('utf8')) as Json;
const proto = (signal: 'metrics' | 'traces' | 'logs', b: Uint8Array) => decodeOtlpProtobuf(signal, b) as Json;

describe('encodeOtlp', () => {
  it('writes one request with every release as its own resource, in JSON and in protobuf alike', () => {
    for (const body of [json(encodeOtlp(metrics, 'json')), proto('metrics', encodeOtlp(metrics, 'protobuf'))]) {
      expect(body.resourceMetrics).toHaveLength(2);
      const [first, second] = body.resourceMetrics;
      expect(first.resource.attributes).toContainEqual({ key: 'service.version', value: { stringValue: '1' } });
      expect(second.resource.attributes).toContainEqual({ key: 'service.version', value: { stringValue: '2' } });
      const [histogram, counter] = second.scopeMetrics[0].metrics;
      expect(histogram.histogram.aggregationTemporality).toBe(1); // DELTA
      expect(histogram.histogram.dataPoints[0]).toMatchObject({ explicitBounds: [0.005, 0.01], startTimeUnixNano: `${minute}000000`, timeUnixNano: `${minute + 60_000}000000` });
      expect(histogram.histogram.dataPoints[0].bucketCounts.toString()).toBe('2,2,3');
      expect(Number(histogram.histogram.dataPoints[0].count)).toBe(7);
      expect(counter.sum).toMatchObject({ isMonotonic: true, aggregationTemporality: 1 });
      expect(Number(counter.sum.dataPoints[0].asInt)).toBe(7);
    }
  });

  it('writes spans with their ids, times to the nanosecond, attributes and status', () => {
    for (const body of [json(encodeOtlp(traces, 'json')), proto('traces', encodeOtlp(traces, 'protobuf'))]) {
      const span = body.resourceSpans[0].scopeSpans[0];
      expect(span.scope.name).toBe('slipway.test');
      expect(span.spans[0]).toMatchObject({
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        name: 'chat claude',
        kind: 2, // SERVER
        startTimeUnixNano: `${minute + 1}500000`,
        endTimeUnixNano: `${minute + 250}000000`,
        status: { code: 2, message: 'rate_limited' },
      });
      expect(span.spans[0].attributes).toContainEqual({ key: 'slipway.gateway.fallback_chain', value: { arrayValue: { values: [{ stringValue: 'a/b:ok' }] } } });
      expect(JSON.stringify(span.spans[0].attributes)).toMatch(/"gen_ai.usage.input_tokens","value":\{"intValue":"?12"?\}/);
    }
  });

  it('writes log records with severity, body and attributes', () => {
    for (const body of [json(encodeOtlp(logs, 'json')), proto('logs', encodeOtlp(logs, 'protobuf'))]) {
      const record = body.resourceLogs[0].scopeLogs[0].logRecords[0];
      expect(record).toMatchObject({ severityNumber: 17, severityText: 'ERROR', body: { stringValue: 'boom' }, timeUnixNano: `${minute}000000` });
    }
  });
});
