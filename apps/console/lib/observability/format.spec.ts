import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatCpu, formatMs, formatPercent, formatRate, formatUsd, releaseLabel } from './format';

describe('observability number formats', () => {
  it('shows an empty slot as a dash, never as 0', () => {
    for (const f of [formatCount, formatRate, formatPercent, formatCpu, formatMs, formatBytes, formatUsd]) {
      expect(f(null)).toBe('—');
      expect(f(Number.NaN)).toBe('—');
    }
  });

  it('keeps the precision a small error rate needs', () => {
    expect(formatPercent(0.04)).toBe('4 %');
    expect(formatPercent(0.001)).toBe('0.1 %');
    expect(formatPercent(0.00034)).toBe('0.03 %');
    expect(formatPercent(0.125)).toBe('13 %');
    expect(formatPercent(0)).toBe('0 %');
  });

  it('formats counts, rates, latencies, CPU, memory and cost', () => {
    expect(formatCount(1234)).toBe('1,234');
    expect(formatCount(12_345)).toBe('12.3k');
    expect(formatCount(4_500_000)).toBe('4.5M');
    expect(formatRate(12.53)).toBe('12.5/s');
    expect(formatRate(0.02)).toBe('0.02/s');
    expect(formatMs(850.4)).toBe('850 ms');
    expect(formatMs(1_240)).toBe('1.2 s');
    expect(formatCpu(150.2)).toBe('150 %');
    expect(formatCpu(2.46)).toBe('2.5 %');
    expect(formatBytes(512 * 1024 * 1024)).toBe('512 MiB');
    expect(formatBytes(1.5 * 1024 ** 3)).toBe('1.5 GiB');
    expect(formatUsd(0.0042)).toBe('$0.0042');
    expect(formatUsd(12.5)).toBe('$12.50');
    expect(releaseLabel(12)).toBe('v12');
    expect(releaseLabel(null)).toBe('deleted release');
  });
});
