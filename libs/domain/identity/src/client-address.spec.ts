import { describe, expect, it } from 'vitest';
import { rateLimitSubject } from './client-address';

describe('rateLimitSubject', () => {
  it('counts an IPv4 client by its address, also when it arrives IPv4-mapped', () => {
    expect(rateLimitSubject('203.0.113.7')).toBe('203.0.113.7');
    expect(rateLimitSubject('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(rateLimitSubject('::FFFF:127.0.0.1')).toBe('127.0.0.1');
  });

  it('counts IPv6 clients per /64, however the address is written', () => {
    const subject = '2001:db8:0:1::/64';
    expect(rateLimitSubject('2001:db8:0:1::1')).toBe(subject);
    expect(rateLimitSubject('2001:0db8:0000:0001:ffff:ffff:ffff:fffe')).toBe(subject);
    expect(rateLimitSubject('2001:DB8::1:0:0:0:7')).toBe(subject);
    expect(rateLimitSubject('2001:db8:0:2::1')).not.toBe(subject);
    expect(rateLimitSubject('::1')).toBe('0:0:0:0::/64');
    expect(rateLimitSubject('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(rateLimitSubject('64:ff9b::192.0.2.33')).toBe('64:ff9b:0:0::/64');
  });

  it('puts clients without an address under one shared subject', () => {
    expect(rateLimitSubject(null)).toBe('unknown');
    expect(rateLimitSubject(undefined)).toBe('unknown');
    expect(rateLimitSubject('')).toBe('unknown');
  });
});
