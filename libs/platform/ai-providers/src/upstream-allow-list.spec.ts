import { describe, expect, it } from 'vitest';
import { UpstreamAllowList } from './upstream-allow-list';

describe('UpstreamAllowList', () => {
  it('lets a range, an address, an address:port and a name:port through, and nothing else', () => {
    const allow = new UpstreamAllowList([
      '10.1.0.0/16',
      ' fd00::/8',
      '192.168.5.5',
      '127.0.0.1:4900',
      '[::1]:8000',
      'LLM.internal:8000',
      '',
    ]);
    expect(allow.allowsAddress('10.1.200.3', 443)).toBe(true);
    expect(allow.allowsAddress('::ffff:10.1.200.3', 443)).toBe(true);
    expect(allow.allowsAddress('10.2.0.1', 443)).toBe(false);
    expect(allow.allowsAddress('fd00::5', 80)).toBe(true);
    expect(allow.allowsAddress('192.168.5.5', 1)).toBe(true);
    expect(allow.allowsAddress('192.168.5.6', 1)).toBe(false);
    expect(allow.allowsAddress('127.0.0.1', 4900)).toBe(true);
    expect(allow.allowsAddress('::ffff:127.0.0.1', 4900)).toBe(true);
    expect(allow.allowsAddress('127.0.0.1', 4000)).toBe(false);
    expect(allow.allowsAddress('::1', 8000)).toBe(true);
    expect(allow.allowsAddress('::1', 8001)).toBe(false);
    expect(allow.allowsName('llm.internal', 8000)).toBe(true);
    expect(allow.allowsName('llm.internal.', 8000)).toBe(true);
    expect(allow.allowsName('llm.internal', 443)).toBe(false);
    expect(allow.allowsName('localhost', 4900)).toBe(false);
  });

  it('allows nothing when empty', () => {
    const allow = new UpstreamAllowList([]);
    expect(allow.empty).toBe(true);
    expect(allow.allowsAddress('127.0.0.1', 80)).toBe(false);
    expect(allow.allowsName('localhost', 80)).toBe(false);
  });

  it.each(['10.0.0.0/33', 'not a host', 'host:99999', 'http://10.0.0.1', '10.0.0.1/8/2'])('names a bad entry: %s', (entry) => {
    expect(() => new UpstreamAllowList([entry])).toThrow(/GATEWAY_UPSTREAM_ALLOW/);
  });
});
