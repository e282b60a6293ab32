import { CONSUMER_KEY_PREFIXES, type ConsumerKeyDto, type ConsumerKeyMode } from '@slipway/contracts';
import { generateSecretToken, sha256Hex } from '@slipway/crypto';

/** Characters kept in clear for lists: the prefix plus enough to tell keys apart. */
const DISPLAY_CHARS = 6;

export interface MintedKey {
  key: string;
  prefix: string;
  tokenHash: string;
}

/** `swk_live_…` / `swk_test_…`: 32 random bytes and a CRC32 (base62), so the edge refuses a malformed key without a lookup. */
export function mintConsumerKey(mode: ConsumerKeyMode): MintedKey {
  const prefix = CONSUMER_KEY_PREFIXES[mode];
  const key = generateSecretToken(prefix);
  return { key, prefix: key.slice(0, prefix.length + DISPLAY_CHARS), tokenHash: sha256Hex(key) };
}

export interface KeyRow {
  id: string;
  name: string;
  mode: 'LIVE' | 'TEST';
  prefix: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  replacedById: string | null;
}

export const toConsumerKeyDto = (k: KeyRow): ConsumerKeyDto => ({
  id: k.id,
  name: k.name,
  mode: k.mode === 'LIVE' ? 'live' : 'test',
  prefix: k.prefix,
  createdAt: k.createdAt.toISOString(),
  expiresAt: k.expiresAt?.toISOString() ?? null,
  revokedAt: k.revokedAt?.toISOString() ?? null,
  replacedById: k.replacedById,
});
