import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SignedTokens } from './signed-tokens';

const tokens = (key = randomBytes(32)) => new SignedTokens({ SLIPWAY_MASTER_KEY: key.toString('base64'), SLIPWAY_MASTER_KEY_FILE: '' });

describe('SignedTokens', () => {
  it('round-trips a payload for its purpose only', () => {
    const t = tokens();
    const token = t.sign('git-hook', { projectId: 'p1' }, 60);
    expect(t.verify('git-hook', token)).toMatchObject({ projectId: 'p1' });
    expect(t.verify('other', token)).toBeNull();
  });

  it('rejects tampering, another key and expiry', () => {
    const key = randomBytes(32);
    const t = tokens(key);
    const token = t.sign('git-hook', { projectId: 'p1' }, 60);
    const [body, mac] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ projectId: 'p2', purpose: 'git-hook', exp: 9e9 })).toString('base64url');
    expect(t.verify('git-hook', `${forged}.${mac}`)).toBeNull();
    expect(tokens().verify('git-hook', token)).toBeNull();
    expect(t.verify('git-hook', `${body}.`)).toBeNull();
    expect(t.verify('git-hook', t.sign('git-hook', {}, -1))).toBeNull();
  });
});
