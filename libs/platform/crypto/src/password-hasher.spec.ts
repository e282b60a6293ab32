import { afterAll, describe, expect, it } from 'vitest';
import { PasswordHasher } from './password-hasher';

const hasher = new PasswordHasher();
afterAll(() => hasher.onModuleDestroy());

describe('PasswordHasher', () => {
  it('hashes with argon2id at the OWASP parameters and verifies', async () => {
    const hash = await hasher.hash('correct horse battery staple');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await hasher.verify(hash, 'correct horse battery staple')).toBe(true);
    expect(await hasher.verify(hash, 'correct horse battery stapl')).toBe(false);
    expect(hasher.needsRehash(hash)).toBe(false);
  });

  it('salts: the same password hashes differently', async () => {
    expect(await hasher.hash('pw')).not.toBe(await hasher.hash('pw'));
  });

  it('returns false (not an exception) for a malformed stored hash', async () => {
    expect(await hasher.verify('not-a-hash', 'pw')).toBe(false);
    expect(hasher.needsRehash('not-a-hash')).toBe(true);
  });

  it('verifyDummy always fails and does real argon2 work', async () => {
    expect(await hasher.verifyDummy('anything')).toBe(false);
    const started = performance.now();
    await hasher.verifyDummy('anything');
    // A real argon2id verify at m=19 MiB takes milliseconds, not microseconds.
    expect(performance.now() - started).toBeGreaterThan(2);
  });
});
