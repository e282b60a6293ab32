import { describe, expect, it } from 'vitest';
import { AppError } from '@slipway/errors';
import { assertMetricsAccess, isLoopback } from './metrics-access';

const TOKEN = 'prometheus-scrape-token-0123456789';

function outcome(fn: () => void): string {
  try {
    fn();
    return 'allowed';
  } catch (err) {
    return err instanceof AppError ? err.code : 'crash';
  }
}

describe('assertMetricsAccess', () => {
  it('with a token configured, requires exactly that bearer token, from anywhere', () => {
    expect(outcome(() => assertMetricsAccess(TOKEN, `Bearer ${TOKEN}`, '203.0.113.9'))).toBe('allowed');
    expect(outcome(() => assertMetricsAccess(TOKEN, undefined, '127.0.0.1'))).toBe('UNAUTHENTICATED');
    expect(outcome(() => assertMetricsAccess(TOKEN, 'Bearer wrong', '127.0.0.1'))).toBe('UNAUTHENTICATED');
    expect(outcome(() => assertMetricsAccess(TOKEN, `Bearer ${TOKEN}x`, '127.0.0.1'))).toBe('UNAUTHENTICATED');
    expect(outcome(() => assertMetricsAccess(TOKEN, TOKEN, '127.0.0.1'))).toBe('UNAUTHENTICATED');
  });

  it('without a token, answers loopback clients only', () => {
    expect(outcome(() => assertMetricsAccess(undefined, undefined, '127.0.0.1'))).toBe('allowed');
    expect(outcome(() => assertMetricsAccess(undefined, undefined, '::1'))).toBe('allowed');
    expect(outcome(() => assertMetricsAccess(undefined, undefined, '::ffff:127.0.0.1'))).toBe('allowed');
    expect(outcome(() => assertMetricsAccess(undefined, undefined, '10.0.0.7'))).toBe('FORBIDDEN');
    expect(outcome(() => assertMetricsAccess(undefined, undefined, undefined))).toBe('FORBIDDEN');
  });

  it('does not take look-alike addresses for loopback', () => {
    expect(isLoopback('127.0.0.1.example.com')).toBe(false);
    expect(isLoopback('::ffff:10.0.0.1')).toBe(false);
    expect(isLoopback('1127.0.0.1')).toBe(false);
  });
});
