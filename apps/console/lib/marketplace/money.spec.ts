import { describe, expect, it } from 'vitest';
import { formatMicros, formatUnitPrice, microsToUsdInput, parseUsdToMicros } from './money';

describe('formatMicros', () => {
  it('shows cents for whole-cent amounts and every significant decimal below a cent', () => {
    expect(formatMicros(12_000_000)).toBe('$12');
    expect(formatMicros(12_500_000)).toBe('$12.50');
    expect(formatMicros(400)).toBe('$0.0004');
    expect(formatMicros(1)).toBe('$0.000001');
    expect(formatMicros(0)).toBe('$0');
  });
  it('takes bigint and string amounts (BigInt columns) exactly, grouped and signed', () => {
    expect(formatMicros(12_345_678_900_000n)).toBe('$12,345,678.90');
    expect(formatMicros('-2500000')).toBe('-$2.50');
    expect(formatMicros('9007199254740993')).toBe('$9,007,199,254.740993');
  });
  it('shows a dash for missing or unparseable amounts', () => {
    expect(formatMicros(null)).toBe('—');
    expect(formatMicros('abc')).toBe('—');
  });
});

describe('formatUnitPrice', () => {
  it('prices sub-tenth-of-a-cent calls per thousand', () => {
    expect(formatUnitPrice(400)).toBe('$0.40 per 1,000 calls');
    expect(formatUnitPrice(10_000)).toBe('$0.01 per call');
    expect(formatUnitPrice(0)).toBe('free');
  });
});

describe('parseUsdToMicros', () => {
  it('reads what a publisher types, exactly', () => {
    expect(parseUsdToMicros('0.0012')).toBe(1_200);
    expect(parseUsdToMicros('$29')).toBe(29_000_000);
    expect(parseUsdToMicros('1,000.5')).toBe(1_000_500_000);
    expect(parseUsdToMicros('0.1')).toBe(100_000);
  });
  it('refuses what is not an amount or is finer than a micro-dollar', () => {
    expect(parseUsdToMicros('')).toBeNull();
    expect(parseUsdToMicros('-1')).toBeNull();
    expect(parseUsdToMicros('0.0000001')).toBeNull();
    expect(parseUsdToMicros('1e3')).toBeNull();
  });
  it('round-trips with microsToUsdInput', () => {
    for (const m of [0, 1, 1_200, 100_000, 29_000_000, 1_000_500_000]) expect(parseUsdToMicros(microsToUsdInput(m))).toBe(m);
  });
});
