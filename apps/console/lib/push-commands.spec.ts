import { describe, expect, it } from 'vitest';
import { formatDuration } from './format';
import { pushCommands, remoteWithToken } from './push-commands';

describe('push commands', () => {
  it('puts the token in the remote as the password of a "push" user', () => {
    expect(remoteWithToken('http://localhost:4000/git/acme/web.git', 'slp_abc123')).toBe('http://push:slp_abc123@localhost:4000/git/acme/web.git');
  });

  it('shows the two commands a user runs', () => {
    expect(pushCommands('http://h/git/o/p.git')).toBe('git remote add slipway http://h/git/o/p.git\ngit push slipway main');
  });
});

describe('formatDuration', () => {
  it('reads naturally at every scale', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_340)).toBe('12.3 s');
    expect(formatDuration(125_000)).toBe('2 min 05 s');
  });
});
