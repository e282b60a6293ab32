import type { IncomingHttpHeaders } from 'node:http';
import { CONSUMER_KEY_PREFIXES, type ConsumerKeyMode } from '@slipway/contracts';
import { hasValidChecksum } from '@slipway/crypto';

export type PresentedKey =
  | { status: 'missing' }
  /** Wrong prefix, length, alphabet or checksum: refused without any lookup. */
  | { status: 'malformed' }
  | { status: 'wellFormed'; key: string; mode: ConsumerKeyMode };

const BEARER = /^bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * The consumer key a call presents: `x-api-key: swk_…`, else `Authorization: Bearer swk_…`.
 * `x-api-key` is read first so an app that uses `Authorization` for its own scheme can still
 * be called (the edge removes both before forwarding).
 */
export function presentedKey(headers: IncomingHttpHeaders): PresentedKey {
  const apiKey = headers['x-api-key'];
  let key: string | undefined;
  if (typeof apiKey === 'string' && apiKey.length > 0) key = apiKey.trim();
  else {
    const auth = headers.authorization;
    if (typeof auth === 'string') key = BEARER.exec(auth)?.[1];
  }
  if (!key) return { status: 'missing' };
  if (hasValidChecksum(key, CONSUMER_KEY_PREFIXES.live)) return { status: 'wellFormed', key, mode: 'live' };
  if (hasValidChecksum(key, CONSUMER_KEY_PREFIXES.test)) return { status: 'wellFormed', key, mode: 'test' };
  return { status: 'malformed' };
}
