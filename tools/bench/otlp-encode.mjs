#!/usr/bin/env node
// `node tools/bench/otlp-encode.mjs`: what encoding an OTLP export batch costs the worker, with
// OpenTelemetry's serializers (@opentelemetry/otlp-transformer, what @slipway/otlp uses) against
// a hand-written OTLP/JSON encoder (JSON.stringify of objects built directly in OTLP's shape).
//
// Batches as the export sends them: 1,000 gateway spans (the GenAI attributes of a real call) and
// 500 minute rows of app traffic (50 releases × 10 minutes; histogram + 4 status-class counts).
// 20 warm-up runs, then RUNS timed runs of each encoder; medians and p95 in ms, bytes per body.
// CPU only (no network, no database). Uses the built libs: `npm run build` first.
//   node tools/bench/otlp-encode.mjs [--runs=200]
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const { encodeOtlp } = require(path.join(root, 'libs/platform/otlp/dist/index.js'));
const args = Object.fromEntries(process.argv.slice(2).map((a) => [a.replace(/^--/, '').split('=')[0], a.split('=')[1] ?? 'true']));
const RUNS = Number(args.runs ?? 200);

const t0 = Date.UTC(2026, 11, 7, 14);
const resources = Array.from({ length: 50 }, (_, i) => ({
  'service.name': `app-${i % 10}`,
  'service.namespace': 'acme',
  'service.version': `v${i}`,
  'deployment.environment.name': 'production',
  'slipway.release.id': `rel_${i}`,
  'slipway.release.number': i,
}));
const spans = Array.from({ length: 1000 }, (_, i) => ({
  resource: resources[i % 50],
  scope: { name: 'slipway.gateway' },
  traceId: (i.toString(16).padStart(8, '0') + 'a'.repeat(24)).slice(0, 32),
  spanId: (i.toString(16).padStart(8, '0') + 'b'.repeat(8)).slice(0, 16),
  name: 'chat fast',
  kind: 'server',
  startMs: t0 + i * 37,
  endMs: t0 + i * 37 + 850,
  attributes: {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'anthropic',
    'gen_ai.system': 'anthropic',
    'gen_ai.request.model': 'fast',
    'gen_ai.response.model': 'claude-haiku-4-5',
    'gen_ai.usage.input_tokens': 1200 + i,
    'gen_ai.usage.output_tokens': 300,
    'gen_ai.usage.cache_read.input_tokens': 1000,
    'gen_ai.usage.cache_creation.input_tokens': 0,
    'http.response.status_code': 200,
    'slipway.gateway.cost_usd': 0.0025,
    'slipway.gateway.retries': 0,
    'slipway.gateway.fallbacks': 0,
    'slipway.gateway.fallback_chain': ['anthropic/claude-haiku-4-5:ok'],
    'slipway.gateway.streamed': true,
  },
  status: { code: 'unset' },
}));
const bounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const metrics = resources.map((resource) => ({
  resource,
  scope: { name: 'slipway.edge' },
  metrics: [
    { kind: 'histogram', name: 'http.server.request.duration', unit: 's', description: '', points: Array.from({ length: 10 }, (_, m) => ({ attributes: {}, startMs: t0 + m * 60_000, endMs: t0 + (m + 1) * 60_000, bounds, counts: [5, 10, 20, 3, 2, 0, 0, 0, 0, 0, 1] })) },
    { kind: 'counter', name: 'slipway.http.server.request.count', unit: '{request}', description: '', points: Array.from({ length: 40 }, (_, k) => ({ attributes: { 'slipway.http.status_class': `${2 + (k % 4)}xx` }, startMs: t0 + Math.floor(k / 4) * 60_000, endMs: t0 + (Math.floor(k / 4) + 1) * 60_000, value: 30 })) },
  ],
}));

// The hand-written alternative: OTLP/JSON built directly (what a small encoder would do).
const ns = (ms) => `${BigInt(Math.round(ms * 1e6))}`;
const anyValue = (v) => (typeof v === 'string' ? { stringValue: v } : typeof v === 'boolean' ? { boolValue: v } : Array.isArray(v) ? { arrayValue: { values: v.map(anyValue) } } : Number.isInteger(v) ? { intValue: v } : { doubleValue: v });
const kv = (o) => Object.entries(o).map(([key, value]) => ({ key, value: anyValue(value) }));
function handSpans(list) {
  const byResource = new Map();
  for (const s of list) byResource.set(s.resource, [...(byResource.get(s.resource) ?? []), s]);
  return Buffer.from(JSON.stringify({
    resourceSpans: [...byResource].map(([r, ss]) => ({
      resource: { attributes: kv(r) },
      scopeSpans: [{ scope: { name: 'slipway.gateway' }, spans: ss.map((s) => ({ traceId: s.traceId, spanId: s.spanId, name: s.name, kind: 2, startTimeUnixNano: ns(s.startMs), endTimeUnixNano: ns(s.endMs), attributes: kv(s.attributes), status: {} })) }],
    })),
  }));
}
function handMetrics(list) {
  return Buffer.from(JSON.stringify({
    resourceMetrics: list.map((r) => ({
      resource: { attributes: kv(r.resource) },
      scopeMetrics: [{ scope: r.scope, metrics: r.metrics.map((m) => (m.kind === 'histogram'
        ? { name: m.name, unit: m.unit, histogram: { aggregationTemporality: 1, dataPoints: m.points.map((p) => ({ attributes: kv(p.attributes), startTimeUnixNano: ns(p.startMs), timeUnixNano: ns(p.endMs), count: p.counts.reduce((a, b) => a + b, 0), bucketCounts: p.counts, explicitBounds: p.bounds })) } }
        : { name: m.name, unit: m.unit, sum: { aggregationTemporality: 1, isMonotonic: true, dataPoints: m.points.map((p) => ({ attributes: kv(p.attributes), startTimeUnixNano: ns(p.startMs), timeUnixNano: ns(p.endMs), asInt: p.value })) } })) }],
    })),
  }));
}

function time(label, fn) {
  for (let i = 0; i < 20; i++) fn();
  const ms = [];
  let bytes = 0;
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    bytes = fn().byteLength;
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const median = ms[Math.floor(ms.length / 2)];
  console.log(`${label.padEnd(44)} median ${median.toFixed(2)} ms  p95 ${ms[Math.floor(ms.length * 0.95)].toFixed(2)} ms  ${(bytes / 1024).toFixed(0)} KiB`);
  return median;
}

const spanBatch = { signal: 'traces', spans };
const metricBatch = { signal: 'metrics', resources: metrics };
const a = time('1,000 spans, official serializer, JSON', () => encodeOtlp(spanBatch, 'json'));
const b = time('1,000 spans, official serializer, protobuf', () => encodeOtlp(spanBatch, 'protobuf'));
const c = time('1,000 spans, hand-written OTLP/JSON', () => handSpans(spans));
const d = time('500 minute rows, official serializer, JSON', () => encodeOtlp(metricBatch, 'json'));
const e = time('500 minute rows, official serializer, protobuf', () => encodeOtlp(metricBatch, 'protobuf'));
const f = time('500 minute rows, hand-written OTLP/JSON', () => handMetrics(metrics));
console.log(`ratios (official / hand-written JSON): spans JSON ${(a / c).toFixed(2)}, spans protobuf ${(b / c).toFixed(2)}, metrics JSON ${(d / f).toFixed(2)}, metrics protobuf ${(e / f).toFixed(2)}`);
