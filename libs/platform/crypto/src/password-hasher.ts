import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { argon2id, argon2Verify } from 'hash-wasm';

/** OWASP Password Storage Cheat Sheet (2025): argon2id, 19 MiB, 2 iterations, 1 lane. */
export const ARGON2_PARAMS = { memorySize: 19_456, iterations: 2, parallelism: 1, hashLength: 32 } as const;

/**
 * Password hashing with argon2id, in WebAssembly (hash-wasm): the native `argon2` addon's
 * prebuilt binary crashes on some glibc machines and building it needs install scripts.
 * Hashes are standard PHC strings (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`). This lib is the
 * only importer of the hashing library.
 */
@Injectable()
export class PasswordHasher {
  private dummyHash: Promise<string> | undefined;

  hash(password: string): Promise<string> {
    return argon2id({ ...ARGON2_PARAMS, password, salt: randomBytes(16), outputType: 'encoded' });
  }

  /** False on a wrong password and on a stored hash that is not a valid argon2 string. */
  async verify(hash: string, password: string): Promise<boolean> {
    if (!hash.startsWith('$argon2')) return false;
    try {
      return await argon2Verify({ password, hash });
    } catch {
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
    this.dummyHash ??= this.hash('slipway-dummy-password-never-matches');
    await this.verify(await this.dummyHash, password);
    return false;
  }
}
