import { describe, expect, it } from 'vitest';
import { memoryWithoutCache, parseEvents } from './container-metrics';

describe('memoryWithoutCache', () => {
  it('subtracts the inactive page cache as docker stats does (cgroup v1 and v2 names)', () => {
    expect(memoryWithoutCache({ usage: 100, stats: { total_inactive_file: 30 } })).toBe(70);
    expect(memoryWithoutCache({ usage: 100, stats: { inactive_file: 40 } })).toBe(60);
    expect(memoryWithoutCache({ usage: 100, stats: { total_inactive_file: 200 } })).toBe(100);
    expect(memoryWithoutCache(undefined)).toBe(0);
  });
});

describe('parseEvents', () => {
  it('reads container events line by line, with exit code, name and labels, and skips the rest', () => {
    const lines = [
      // The engine writes timeNano as a JSON number past 2^53, as here.
      JSON.stringify({
        Type: 'container',
        Action: 'die',
        Actor: { ID: 'abc', Attributes: { name: 'web-1', exitCode: '137', image: 'x', 'slipway.release': 'r1' } },
        time: 1,
      }).replace(/}$/, ',"timeNano":1700000000123456789}'),
      JSON.stringify({ Type: 'container', Action: 'exec_start: sh', Actor: { ID: 'abc', Attributes: {} }, timeNano: 1 }),
      JSON.stringify({ Type: 'network', Action: 'connect', Actor: { ID: 'n' }, timeNano: 1 }),
      'not json',
      JSON.stringify({ Type: 'container', Action: 'oom', Actor: { ID: 'abc', Attributes: { name: 'web-1' } }, time: 1_700_000_001 }),
    ];
    const events = parseEvents(lines.join('\n') + '\n');
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      action: 'die',
      containerId: 'abc',
      name: 'web-1',
      exitCode: 137,
      labels: { 'slipway.release': 'r1' },
    });
    expect(events[0]!.at.getTime()).toBe(1_700_000_000_123);
    expect(events[1]).toMatchObject({ action: 'oom', exitCode: null });
    expect(events[1]!.at.getTime()).toBe(1_700_000_001_000);
  });
});
