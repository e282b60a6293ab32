import { describe, expect, it } from 'vitest';
import { constantTimeEqual, generateSecretToken, hasValidChecksum, sha256Hex } from './tokens';

describe('secret tokens', () => {
  it('have the prefix, a fixed length and a valid checksum', () => {
    const token = generateSecretToken('slw_');
    expect(token).toMatch(/^slw_[0-9A-Za-z]{49}$/);
    expect(hasValidChecksum(token, 'slw_')).toBe(true);
  });

  it('are unique', () => {
    const tokens = new Set(Array.from({ length: 200 }, () => generateSecretToken('t_')));
    expect(tokens.size).toBe(200);
  });

  it('reject any one-character change, the wrong prefix, and a wrong length', () => {
    const token = generateSecretToken('slw_');
    for (let i = 4; i < token.length; i++) {
      const c = token[i] === 'a' ? 'b' : 'a';
      const changed = token.slice(0, i) + c + token.slice(i + 1);
      expect(hasValidChecksum(changed, 'slw_'), `position ${i}`).toBe(false);
    }
    expect(hasValidChecksum(token, 'sk_')).toBe(false);
    expect(hasValidChecksum(token.slice(0, -1), 'slw_')).toBe(false);
    expect(hasValidChecksum(`${token}0`, 'slw_')).toBe(false);
    expect(hasValidChecksum('slw_' + '!'.repeat(49), 'slw_')).toBe(false);
  });

  it('bind the checksum to the prefix', () => {
    const token = generateSecretToken('aaa_');
    expect(hasValidChecksum(`bbb_${token.slice(4)}`, 'bbb_')).toBe(false);
  });
});

describe('sha256Hex and constantTimeEqual', () => {
  it('hashes to lowercase hex', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('compares strings of any length', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
  });
});
