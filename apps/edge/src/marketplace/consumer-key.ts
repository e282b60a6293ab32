import type { IncomingHttpHeaders } from 'node:http';
import { CONSUMER_KEY_PREFIXES, type ConsumerKeyMode } from '@slipway/contracts';
import { hasValidChecksum } from '@slipway/crypto';

const BEARER = /^bearer[ \t]+(\S+)[ \t]*$/i;

export type PresentedKey =
  | { status: 'missing' }
  /** Wrong prefix, length, alphabet or checksum: refused without any lookup. */
  | { status: 'malformed' }
  | { status: 'wellFormed'; key: string; mode: ConsumerKeyMode };

/**
 * The key a call presents, before any check of its shape: `x-api-key: swk_…`, else
 * `Authorization: Bearer swk_…`. `x-api-key` is read first so an app that uses `Authorization`
 * for its own scheme can still be called (the edge removes both before forwarding).
 */
export function rawKey(headers: IncomingHttpHeaders): string | undefined {
  const apiKey = headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey.length > 0) return apiKey.trim();
  const auth = headers.authorization;
  return typeof auth === 'string' ? BEARER.exec(auth)?.[1] : undefined;
}

/** Right prefix, length, alphabet and checksum (a pure computation: no lookup). */
export function checkKeyShape(key: string): PresentedKey {
  if (hasValidChecksum(key, CONSUMER_KEY_PREFIXES.live)) return { status: 'wellFormed', key, mode: 'live' };
  if (hasValidChecksum(key, CONSUMER_KEY_PREFIXES.test)) return { status: 'wellFormed', key, mode: 'test' };
  return { status: 'malformed' };
}

/** The mode a key's prefix says (for a key already known well formed). */
export const modeOfPrefix = (key: string): ConsumerKeyMode | undefined =>
  key.startsWith(CONSUMER_KEY_PREFIXES.live) ? 'live' : key.startsWith(CONSUMER_KEY_PREFIXES.test) ? 'test' : undefined;
