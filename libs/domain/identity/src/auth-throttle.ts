import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import { AppError } from '@slipway/errors';
import { RateLimiter, type Counter } from '@slipway/redis';
import { rateLimitSubject } from './client-address';

const minutes = (seconds: number) => {
  const n = Math.max(1, Math.ceil(seconds / 60));
  return `${n} minute${n === 1 ? '' : 's'}`;
};

/**
 * Login and sign-up throttling. An attempt is counted before any password work, in one atomic
 * Redis step per request (see RateLimiter.take), so parallel guesses cannot all slip past a
 * counter that is read first and written after the verification. The account counter counts
 * every attempt for an email — known or not, so the answers never tell which accounts exist.
 */
@Injectable()
export class AuthThrottle {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly limiter: RateLimiter,
  ) {}

  /** Counts a login attempt for the account and the client address, or refuses it (429) without counting. */
  async admitLogin(email: string, ip: string | null): Promise<void> {
    const result = await this.limiter.take([this.accountCounter(email), this.loginAddressCounter(ip)]);
    if (!result.allowed) {
      throw new AppError('TOO_MANY_ATTEMPTS', `Too many sign-in attempts. Try again in ${minutes(result.retryAfterSeconds)}.`, undefined, {
        retryAfterSeconds: result.retryAfterSeconds,
      });
    }
  }

  /**
   * The right password: the account starts afresh (a user who mistyped is not left half-locked),
   * and the address gets its attempt back, so the per-address limit counts failures only and a
   * busy office behind one address is not throttled for signing in.
   */
  async loginSucceeded(email: string, ip: string | null): Promise<void> {
    await Promise.all([this.limiter.reset(this.accountCounter(email).key), this.limiter.giveBack(this.loginAddressCounter(ip).key)]);
  }

  /** Counts a sign-up from the client address, or refuses it (429) before any hashing or row. */
  async admitSignup(ip: string | null): Promise<void> {
    const counter: Counter = { key: `signup:ip:${rateLimitSubject(ip)}`, limit: this.config.SIGNUP_MAX_PER_IP, windowSeconds: this.config.SIGNUP_WINDOW_SECONDS };
    const result = await this.limiter.take([counter]);
    if (!result.allowed) {
      throw new AppError('TOO_MANY_SIGNUPS', `Too many sign-ups from your address. Try again in ${minutes(result.retryAfterSeconds)}.`, undefined, {
        retryAfterSeconds: result.retryAfterSeconds,
      });
    }
  }

  private accountCounter(email: string): Counter {
    return { key: `login:account:${email.trim().toLowerCase()}`, limit: this.config.LOGIN_MAX_PER_ACCOUNT, windowSeconds: this.config.LOGIN_WINDOW_SECONDS };
  }

  private loginAddressCounter(ip: string | null): Counter {
    return { key: `login:ip:${rateLimitSubject(ip)}`, limit: this.config.LOGIN_MAX_PER_IP, windowSeconds: this.config.LOGIN_WINDOW_SECONDS };
  }
}
