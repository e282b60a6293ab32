import { describe, expect, it } from 'vitest';
import { clientAddress, trustedProxies } from './client-address.mjs';

describe('clientAddress', () => {
  it('is the socket address, whatever X-Forwarded-For a client sends, when nothing is trusted', () => {
    const none = trustedProxies('');
    expect(clientAddress('203.0.113.9', '198.51.100.1', none)).toBe('203.0.113.9');
    expect(clientAddress('127.0.0.1', '198.51.100.1, 10.0.0.1', none)).toBe('127.0.0.1');
    expect(clientAddress('::ffff:203.0.113.9', undefined, none)).toBe('203.0.113.9');
  });

  it('reads through trusted proxies from the right, so a hop the client wrote itself is never taken', () => {
    const trusted = trustedProxies('127.0.0.1, 10.0.0.0/8');
    // nginx on loopback appended the real client (203.0.113.9) after the forged 198.51.100.1.
    expect(clientAddress('127.0.0.1', '198.51.100.1, 203.0.113.9', trusted)).toBe('203.0.113.9');
    expect(clientAddress('127.0.0.1', ['198.51.100.1', '203.0.113.9, 10.1.2.3'], trusted)).toBe('203.0.113.9');
    // A forged X-Forwarded-For sent straight to the console by an untrusted client is ignored.
    expect(clientAddress('203.0.113.9', '10.0.0.5', trusted)).toBe('203.0.113.9');
    // Garbage ends the walk at the last real address.
    expect(clientAddress('127.0.0.1', 'not-an-ip, 10.0.0.7', trusted)).toBe('10.0.0.7');
    expect(clientAddress('127.0.0.1', undefined, trusted)).toBe('127.0.0.1');
  });

  it('refuses a list entry that is neither an address nor a CIDR block, naming it', () => {
    expect(() => trustedProxies('127.0.0.1, proxy.internal')).toThrow(/"proxy.internal"/);
    expect(() => trustedProxies('10.0.0.0/33')).toThrow(/10\.0\.0\.0\/33/);
    expect(() => trustedProxies('::1, fd00::/8')).not.toThrow();
  });
});
