import { afterEach, describe, expect, it } from 'vitest';
import { HashingPool, HashingPoolBusyError } from './hashing-pool';
import { ARGON2_PARAMS } from './password-hasher';

let pool: HashingPool | undefined;
afterEach(() => pool?.close());

describe('HashingPool', () => {
  it('hashes and verifies on a worker thread while the event loop keeps turning', async () => {
    pool = new HashingPool(1, ARGON2_PARAMS, 8);
    let turns = 0;
    const ticker = setInterval(() => turns++, 1);
    const started = performance.now();
    const hash = await pool.run<string>({ op: 'hash', password: 'correct horse battery staple' });
    const took = performance.now() - started;
    clearInterval(ticker);
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await pool.run<boolean>({ op: 'verify', hash, password: 'correct horse battery staple' })).toBe(true);
    expect(await pool.run<boolean>({ op: 'verify', hash, password: 'wrong' })).toBe(false);
    // On the event loop, a timer could not fire while argon2 computed; here it fires throughout.
    expect(took).toBeGreaterThan(5);
    expect(turns).toBeGreaterThanOrEqual(3);
  });

  it('queues beyond its threads and refuses beyond its queue, without losing the queued jobs', async () => {
    pool = new HashingPool(1, ARGON2_PARAMS, 2);
    const accepted = [1, 2, 3].map((n) => pool!.run<string>({ op: 'hash', password: `password ${n}` }));
    await expect(pool.run({ op: 'hash', password: 'one too many' })).rejects.toBeInstanceOf(HashingPoolBusyError);
    const hashes = await Promise.all(accepted);
    expect(new Set(hashes).size).toBe(3);
    expect(pool.waiting).toBe(0);
  });

  it('reports a job the worker cannot do as a failure and keeps serving', async () => {
    pool = new HashingPool(1, ARGON2_PARAMS, 8);
    await expect(pool.run({ op: 'verify', hash: '$argon2id$garbage', password: 'x' })).rejects.toThrow();
    expect(await pool.run<string>({ op: 'hash', password: 'still here' })).toMatch(/^\$argon2id\$/);
  });

  it('fails running and waiting jobs when closed, and every job after', async () => {
    pool = new HashingPool(1, ARGON2_PARAMS, 8);
    const jobs = [1, 2, 3].map((n) => pool!.run({ op: 'hash', password: `password ${n}` }).then(() => 'done', () => 'failed'));
    await pool.close();
    expect(await Promise.all(jobs)).toEqual(['failed', 'failed', 'failed']);
    await expect(pool.run({ op: 'hash', password: 'late' })).rejects.toThrow(/closed/);
  });
});
