import { describe, expect, it } from 'vitest';
import { detectLevel, levelsFrom } from './log-level';

describe('detectLevel', () => {
  it.each([
    ['{"level":"error","msg":"x"}', 'error'],
    ['{"level":30,"msg":"pino info"}', 'info'],
    ['{"level":40,"msg":"pino warn"}', 'warn'],
    ['{"level":60,"msg":"pino fatal"}', 'error'],
    ['{"severity":"WARNING","message":"gcp style"}', 'warn'],
    ['ERROR something broke', 'error'],
    ['[warn] disk almost full', 'warn'],
    ['WARNING:root:deprecated', 'warn'],
    ['INFO:     127.0.0.1:5000 - "GET / HTTP/1.1" 200', 'info'],
    ['2026-12-07T12:00:00.123Z DEBUG cache miss', 'debug'],
    ['2026-12-07 12:00:00,123 [main] ERROR app - boom', 'error'],
    ['time=2026-12-07 level=error msg="db down"', 'error'],
    ['Error: connect ECONNREFUSED', 'error'],
  ])('%s → %s', (line, level) => {
    expect(detectLevel(line, 'stdout')).toBe(level);
  });

  it('takes an unmarked line as info on stdout and warn on stderr', () => {
    expect(detectLevel('listening on 3000', 'stdout')).toBe('info');
    expect(detectLevel('    at Object.<anonymous> (/app/server.js:3:9)', 'stderr')).toBe('warn');
    expect(detectLevel('err 12', 'stderr')).toBe('warn');
    expect(detectLevel('information about errors', 'stdout')).toBe('info');
  });

  it('lists a level and those above it', () => {
    expect(levelsFrom('warn')).toEqual(['warn', 'error']);
    expect(levelsFrom('debug')).toEqual(['debug', 'info', 'warn', 'error']);
  });
});
