import { Inject, Injectable, Optional, type OnModuleDestroy } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import { AppError } from '@slipway/errors';
import { HashingPool, HashingPoolBusyError, defaultHashingThreads } from './hashing-pool';

/** OWASP Password Storage Cheat Sheet (2025): argon2id, 19 MiB, 2 iterations, 1 lane. */
export const ARGON2_PARAMS = { memorySize: 19_456, iterations: 2, parallelism: 1, hashLength: 32 } as const;

/**
 * Jobs that may wait per thread before new ones are refused (503, retry in a second): past
 * that, a burst only grows every caller's wait. Per-account and per-address login limits keep
 * one client far below it.
 */
const MAX_QUEUED_PER_THREAD = 64;

/**
 * Password hashing with argon2id, in WebAssembly (hash-wasm): the native `argon2` addon's
 * prebuilt binary crashes on some glibc machines and building it needs install scripts.
 * Hashes are standard PHC strings (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`). This lib is the
 * only importer of the hashing library.
 *
 * Every hash and verification runs on a worker thread (HashingPool): argon2id spends tens of
 * milliseconds of CPU by design, and on the event loop a burst of logins stalled every model
 * gateway call of the same api process (docs/benchmarks.md, "Logins and the gateway").
 */
@Injectable()
export class PasswordHasher implements OnModuleDestroy {
  private readonly pool: HashingPool;
  private dummyHash: Promise<string> | undefined;

  constructor(@Optional() @Inject(CONFIG) config?: Pick<Config, 'PASSWORD_HASH_THREADS'>) {
    const threads = config?.PASSWORD_HASH_THREADS ?? defaultHashingThreads();
    this.pool = new HashingPool(threads, ARGON2_PARAMS, threads * MAX_QUEUED_PER_THREAD);
  }

  hash(password: string): Promise<string> {
    return this.run<string>({ op: 'hash', password });
  }

  /** False on a wrong password and on a stored hash that is not a valid argon2 string. */
  async verify(hash: string, password: string): Promise<boolean> {
    if (!hash.startsWith('$argon2')) return false;
    try {
      return await this.run<boolean>({ op: 'verify', hash, password });
    } catch (err) {
      if (err instanceof AppError) throw err;
      return false;
    }
  }

  /** True when the hash was made with other parameters than today's, so login can upgrade it. */
  needsRehash(hash: string): boolean {
    const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(hash);
    if (!m) return true;
    return Number(m[1]) !== ARGON2_PARAMS.memorySize || Number(m[2]) !== ARGON2_PARAMS.iterations || Number(m[3]) !== ARGON2_PARAMS.parallelism;
  }

  /**
   * Spends the same time as `verify` against a real hash and always returns false. Call it
   * when the account does not exist, so response time does not reveal which emails exist.
   */
  async verifyDummy(password: string): Promise<false> {
    this.dummyHash ??= this.hash('slipway-dummy-password-never-matches').catch((err: unknown) => {
      this.dummyHash = undefined; // a busy pool must not leave a failed promise cached forever
      throw err;
    });
    await this.verify(await this.dummyHash, password);
    return false;
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.close();
  }

  private run<T>(job: Parameters<HashingPool['run']>[0]): Promise<T> {
    return this.pool.run<T>(job).catch((err: unknown) => {
      if (err instanceof HashingPoolBusyError) throw new AppError('SERVICE_UNAVAILABLE', 'Too many sign-ins are being checked at once. Retry in a moment.', undefined, { retryAfterSeconds: 1 });
      throw err;
    });
  }
}
