import { describe, expect, it } from 'vitest';
import { buildDrillReport, type DrillEvent, type DrillSample } from './drill-report';

const target = 'mock/mock-primary';
const ok = (id: string, startMs: number, endMs: number, servedBy: string): DrillSample => ({ requestId: id, startMs, endMs, status: 200, servedBy });

describe('buildDrillReport', () => {
  const samples: DrillSample[] = [
    ok('a', 0, 40, 'mock/mock-backup'), // retried the faulty route, then fell back
    ok('b', 10, 300, 'mock/mock-backup'),
    ok('c', 1100, 1110, 'mock/mock-backup'), // breaker open: skipped the faulty route
    { requestId: 'd', startMs: 1200, endMs: 1300, status: 503, servedBy: null },
    { requestId: null, startMs: 1400, endMs: 1500, status: 0, servedBy: null },
    ok('f', 3000, 3005, 'mock/mock-primary'), // recovered
  ];
  const events: DrillEvent[] = [
    { id: 'a', errorCategory: null, fallbackChain: ['mock/mock-primary:overloaded', 'mock/mock-primary:overloaded', 'mock/mock-backup:ok'] },
    { id: 'b', errorCategory: null, fallbackChain: ['mock/mock-primary:overloaded', 'mock/mock-backup:ok'] },
    { id: 'c', errorCategory: null, fallbackChain: ['mock/mock-primary:circuit_open', 'mock/mock-backup:ok'] },
    { id: 'd', errorCategory: 'no_route', fallbackChain: ['mock/mock-primary:circuit_open', 'mock/mock-backup:capacity'] },
    { id: 'f', errorCategory: null, fallbackChain: ['downgrade:daily->cheap', 'mock/mock-primary:ok'] },
  ];
  const transitions = [{ atMs: 20, key: target, from: 'closed', to: 'open', reason: '5 consecutive failures' }];
  const report = buildDrillReport({ target, samples, events, transitions });

  it('counts what the client saw: success rate, who answered, errors by category', () => {
    expect(report).toMatchObject({ requests: 6, succeeded: 4, failed: 2, successRate: 0.6667 });
    expect(report.servedBy).toEqual({ 'mock/mock-backup': 3, 'mock/mock-primary': 1 });
    expect(report.errors).toEqual({ no_route: 1, network: 1 });
  });

  it('times the failover from the first answer by another route', () => {
    expect(report.failoverMs).toBe(40);
  });

  it('counts calls, not skipped routes, for retry amplification', () => {
    // a: 3, b: 2, c: 1, d: 0, f: 1
    expect(report.upstreamAttempts).toBe(7);
    expect(report.retryAmplification).toBe(1.167);
  });

  it('buckets answers per second, with the fallbacks, and keeps the breaker transitions', () => {
    expect(report.timeline).toEqual([
      { second: 0, requests: 2, succeeded: 2, fallbacks: 2 },
      { second: 1, requests: 3, succeeded: 1, fallbacks: 1 },
      { second: 2, requests: 0, succeeded: 0, fallbacks: 0 },
      { second: 3, requests: 1, succeeded: 1, fallbacks: 0 },
    ]);
    expect(report.breakerTransitions).toEqual(transitions);
    expect(report.latencyMs).toEqual({ p50: 40, p95: 290, max: 290 });
  });

  it('reports no failover when the faulty route was never in the way', () => {
    const unaffected = buildDrillReport({
      target: 'mock/mock-backup',
      samples: [ok('x', 0, 5, 'mock/mock-primary')],
      events: [{ id: 'x', errorCategory: null, fallbackChain: ['mock/mock-primary:ok'] }],
      transitions: [],
    });
    expect(unaffected).toMatchObject({ failoverMs: null, successRate: 1, retryAmplification: 1 });
  });
});
