import { createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, resolveMasterKey, type Config } from '@slipway/config';

/**
 * Short-lived, stateless tokens the platform hands to its own helpers (e.g. the git
 * pre-receive hook calling back into the api): `base64url(json).base64url(hmac)`, with a key
 * derived from the master key for this one purpose, and an expiry inside.
 */
@Injectable()
export class SignedTokens {
  private readonly key: Buffer;

  constructor(@Inject(CONFIG) config: Pick<Config, 'SLIPWAY_MASTER_KEY' | 'SLIPWAY_MASTER_KEY_FILE'>) {
    this.key = createHmac('sha256', resolveMasterKey(config)).update('slipway:signed-tokens:v1').digest();
  }

  sign(purpose: string, payload: Record<string, unknown>, ttlSeconds: number): string {
    const body = Buffer.from(JSON.stringify({ ...payload, purpose, exp: Math.floor(Date.now() / 1000) + ttlSeconds })).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** The payload, or null when the token is forged, for another purpose, or expired. */
  verify<T extends Record<string, unknown>>(purpose: string, token: string): T | null {
    const [body, mac] = token.split('.');
    if (!body || !mac) return null;
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as T & { purpose?: string; exp?: number };
      if (payload.purpose !== purpose || typeof payload.exp !== 'number' || payload.exp < Date.now() / 1000) return null;
      return payload;
    } catch {
      return null;
    }
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
