import { describe, expect, it } from 'vitest';
import { MODEL_SERIES_MAX, ModelTrafficService, OTHER_KEY } from './model-traffic.service';
import type { ModelSlotRow, ModelTrafficRepository } from './model-traffic.repository';

const row = (key: string, slot: number, calls: number): ModelSlotRow => ({
  key,
  slot,
  calls: BigInt(calls),
  errors: 0n,
  streamed: 0n,
  inputTokens: BigInt(calls * 10),
  outputTokens: BigInt(calls * 5),
  cachedTokens: 0n,
  costMicros: BigInt(calls * 100),
  latencyMsSum: BigInt(calls * 1000),
  ttftMsSum: 0n,
  retries: 0n,
  fallbacks: 0n,
});

function serviceWith(rows: ModelSlotRow[]) {
  const repository = { series: async () => rows, errorsByCategory: async () => [] } as unknown as ModelTrafficRepository;
  return new ModelTrafficService(repository);
}

const scope = { organizationId: 'org' };
const now = new Date('2026-12-07T12:00:00Z');
const query = { from: '2026-12-07T11:00:00Z', points: 60, groupBy: 'feature' as const };

describe('ModelTrafficService', () => {
  it(`keeps the ${MODEL_SERIES_MAX - 1} busiest groups and sums the rest into ${OTHER_KEY}, losing no call`, async () => {
    const rows = Array.from({ length: 30 }, (_, i) => row(`feature-${String(i).padStart(2, '0')}`, i % 60, 100 - i));
    const dto = await serviceWith(rows).environmentModelTraffic(scope, 'p', 'e', query, now);
    expect(dto.series).toHaveLength(MODEL_SERIES_MAX);
    expect(dto.series[0]!.key).toBe('feature-00');
    expect(dto.series.at(-1)!.key).toBe(OTHER_KEY);
    const total = rows.reduce((a, r) => a + Number(r.calls), 0);
    expect(dto.totals.calls).toBe(total);
    expect(dto.series.reduce((a, s) => a + s.calls.reduce((x, y) => x + y, 0), 0)).toBe(total);
    expect(dto.totals.costUsd).toBeCloseTo((total * 100) / 1e6, 9);
  });

  it('has no TTFT without streamed calls and tokens/s over the generation time', async () => {
    const dto = await serviceWith([row('chat', 0, 2)]).environmentModelTraffic(scope, 'p', 'e', query, now);
    const [chat] = dto.series;
    expect(chat!.ttftMs[0]).toBeNull();
    expect(chat!.tokensPerSecond[0]).toBe(5); // 10 output tokens over 2,000 ms
    expect(chat!.tokensPerSecond[1]).toBeNull();
  });
});
