import { createHash, hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const RANDOM_BYTES = 32;
/** 62^43 > 2^256, so 43 characters hold any 32-byte value. */
const BODY_CHARS = 43;
/** 62^6 > 2^32: room for a CRC32. */
const CHECKSUM_CHARS = 6;

function toBase62(bytes: Buffer, width: number): string {
  let n = BigInt(`0x${bytes.toString('hex') || '0'}`);
  let out = '';
  while (n > 0n) {
    out = BASE62[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out.padStart(width, '0');
}

function checksum(prefixAndBody: string): string {
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(prefixAndBody) >>> 0);
  return toBase62(crc, CHECKSUM_CHARS);
}

/**
 * A bearer secret shaped like GitHub's tokens: `<prefix><43 base62 chars of 32 random
 * bytes><6 base62 chars of CRC32(prefix + body)>`. The prefix makes leaked tokens easy to
 * scan for; the checksum lets a malformed token be rejected without a database lookup.
 * Store only `sha256Hex(token)`.
 */
export function generateSecretToken(prefix: string): string {
  const body = toBase62(randomBytes(RANDOM_BYTES), BODY_CHARS);
  return `${prefix}${body}${checksum(prefix + body)}`;
}

const BODY_RE = new RegExp(`^[0-9A-Za-z]{${BODY_CHARS + CHECKSUM_CHARS}}$`);

/** Cheap structural check before any lookup: right prefix, length, alphabet and checksum. */
export function hasValidChecksum(token: string, prefix: string): boolean {
  if (!token.startsWith(prefix)) return false;
  const rest = token.slice(prefix.length);
  if (!BODY_RE.test(rest)) return false;
  const body = rest.slice(0, BODY_CHARS);
  return constantTimeEqual(rest.slice(BODY_CHARS), checksum(prefix + body));
}

export function sha256Hex(s: string): string {
  // One-shot hash: no Hash object per call (every gateway request hashes its key).
  return hash('sha256', s, 'hex');
}

/**
 * Compares two strings in time independent of where they differ. Both sides are hashed
 * first so the comparison length is fixed and does not leak the secret's length either.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db);
}
