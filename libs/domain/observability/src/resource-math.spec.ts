import { describe, expect, it } from 'vitest';
import type { ContainerEvent } from '@slipway/docker';
import { cpuPercentBetween, oomKilledDies } from './resource-math';

const reading = (atMs: number, cpuNs: number) => ({ readAt: new Date(atMs), cpuTotalNs: cpuNs, memoryBytes: 1, memoryLimitBytes: 2 });

describe('cpuPercentBetween', () => {
  it('is the CPU time used over the wall time between two readings, in percent of one core', () => {
    // 2.5 s of CPU in 5 s of wall time: half a core.
    expect(cpuPercentBetween('10000:1000000000', reading(15_000, 3_500_000_000))).toBe(50);
    // Two full cores.
    expect(cpuPercentBetween('0:0', reading(1_000, 2_000_000_000))).toBe(200);
  });

  it('has no figure without a usable previous reading', () => {
    expect(cpuPercentBetween(undefined, reading(1_000, 5))).toBeNull();
    expect(cpuPercentBetween('garbage', reading(1_000, 5))).toBeNull();
    expect(cpuPercentBetween('1000:5', reading(1_000, 10))).toBeNull(); // no time passed
    expect(cpuPercentBetween('0:9000', reading(1_000, 10))).toBeNull(); // counter went back: restarted in between
  });
});

describe('oomKilledDies', () => {
  const event = (action: ContainerEvent['action'], containerId: string, atMs: number): ContainerEvent => ({
    action,
    containerId,
    name: containerId,
    at: new Date(atMs),
    timeNano: String(atMs * 1e6),
    exitCode: action === 'die' ? 137 : null,
    labels: {},
  });

  it('marks a die that follows an oom of the same container, not another container’s or a much later one', () => {
    const oom = event('oom', 'a', 1_000);
    const killed = event('die', 'a', 1_050);
    const other = event('die', 'b', 1_060);
    const later = event('die', 'a', 60_000);
    const result = oomKilledDies([killed, other, oom, later]);
    expect([...result]).toEqual([killed]);
  });
});
