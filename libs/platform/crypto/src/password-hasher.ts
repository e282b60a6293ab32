import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';

/** OWASP Password Storage Cheat Sheet (2025): argon2id, 19 MiB, 2 iterations, 1 lane. */
export const ARGON2_PARAMS = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/**
 * Password hashing with argon2id. This lib is the only importer of argon2.
 */
@Injectable()
export class PasswordHasher {
  private dummyHash: Promise<string> | undefined;

  hash(password: string): Promise<string> {
    return argon2.hash(password, ARGON2_PARAMS);
  }

  /** False on a wrong password and on a stored hash that is not a valid argon2 string. */
  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }

  /** True when the hash was made with weaker parameters than today's, so login can upgrade it. */
  needsRehash(hash: string): boolean {
    try {
      return argon2.needsRehash(hash, ARGON2_PARAMS);
    } catch {
      return true;
    }
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
