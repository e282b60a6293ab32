import { CONSUMER_KEY_PREFIXES } from '@slipway/contracts';
import { generateSecretToken } from '@slipway/crypto';
import { describe, expect, it } from 'vitest';
import { checkKeyShape, rawKey } from './consumer-key';

const presentedKey = (headers: Record<string, string>) => {
  const key = rawKey(headers);
  return key ? checkKeyShape(key) : { status: 'missing' };
};

const live = generateSecretToken(CONSUMER_KEY_PREFIXES.live);
const test = generateSecretToken(CONSUMER_KEY_PREFIXES.test);

describe('presentedKey', () => {
  it('reads x-api-key first, then Authorization: Bearer (any case, extra spaces)', () => {
    expect(presentedKey({ 'x-api-key': live })).toEqual({ status: 'wellFormed', key: live, mode: 'live' });
    expect(presentedKey({ authorization: `bearer  ${test}` })).toEqual({ status: 'wellFormed', key: test, mode: 'test' });
    expect(presentedKey({ 'x-api-key': test, authorization: 'Basic dXNlcjpwYXNz' })).toMatchObject({ mode: 'test' });
  });

  it('says missing when neither header carries a key', () => {
    expect(presentedKey({})).toEqual({ status: 'missing' });
    expect(presentedKey({ authorization: 'Basic dXNlcjpwYXNz' })).toEqual({ status: 'missing' });
    expect(presentedKey({ authorization: 'Bearer' })).toEqual({ status: 'missing' });
  });

  it.each([
    ['another prefix', live.replace('swk_live_', 'sk_live_')],
    ['a gateway key shape', generateSecretToken('slw_')],
    ['one character changed (checksum)', live.slice(0, 20) + (live[20] === 'a' ? 'b' : 'a') + live.slice(21)],
    ['too short', live.slice(0, -1)],
    ['too long', live + 'a'],
    ['a character outside base62', live.slice(0, -7) + '-' + live.slice(-6)],
    ['the live body under the test prefix', 'swk_test_' + live.slice('swk_live_'.length)],
  ])('refuses %s as malformed', (_what, key) => {
    expect(presentedKey({ 'x-api-key': key })).toEqual({ status: 'malformed' });
  });
});
