import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, resolveMasterKey, type Config } from '@slipway/config';

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Thrown when a sealed value cannot be opened. The message never contains key material or plaintext. */
export class EnvelopeError extends Error {
  constructor(detail: string) {
    super(`Cannot open the sealed value: ${detail}`);
    this.name = 'EnvelopeError';
  }
}

/** First 8 hex characters of SHA-256 of the key: names a master key without revealing it. */
export function masterKeyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

type MasterKeySource = Pick<Config, 'SLIPWAY_MASTER_KEY' | 'SLIPWAY_MASTER_KEY_FILE'>;

/**
 * AES-256-GCM envelope encryption. Each value gets its own random data key; the data key is
 * wrapped (also AES-256-GCM) under the master key, whose id travels in the sealed string so
 * a later rotation can tell which master key to use.
 *
 * Format: `v1.<keyId>.<b64url(iv|wrappedKey|tag)>.<b64url iv>.<b64url ciphertext|tag>`.
 *
 * The caller's AAD (e.g. `envvar:<id>:<version>`) authenticates the value and the wrapped
 * key, so a sealed string copied to another row does not open there.
 */
@Injectable()
export class Envelope {
  private readonly keys = new Map<string, Buffer>();
  private readonly currentKeyId: string;

  constructor(@Inject(CONFIG) config: MasterKeySource) {
    const key = resolveMasterKey(config);
    this.currentKeyId = masterKeyId(key);
    this.keys.set(this.currentKeyId, key);
  }

  /**
   * For tests and tools: an envelope sealing under `current` that can still open values
   * sealed under any of `previous` (the start of key rotation).
   */
  static fromMasterKeys(current: Buffer, ...previous: Buffer[]): Envelope {
    const envelope = new Envelope({
      SLIPWAY_MASTER_KEY: current.toString('base64'),
      SLIPWAY_MASTER_KEY_FILE: '',
    });
    for (const key of previous) {
      if (key.length !== KEY_BYTES) throw new Error(`A master key must be ${KEY_BYTES} bytes.`);
      envelope.keys.set(masterKeyId(key), key);
    }
    return envelope;
  }

  /** Id of the master key new values are sealed under. */
  get keyId(): string {
    return this.currentKeyId;
  }

  seal(plaintext: string, aad: string): string {
    const masterKey = this.keys.get(this.currentKeyId) as Buffer;
    const dataKey = randomBytes(KEY_BYTES);
    try {
      const wrapped = encrypt(masterKey, dataKey, wrapAad(this.currentKeyId, aad));
      const value = encrypt(dataKey, Buffer.from(plaintext, 'utf8'), valueAad(aad));
      return [VERSION, this.currentKeyId, b64(wrapped), b64(value.subarray(0, IV_BYTES)), b64(value.subarray(IV_BYTES))].join('.');
    } finally {
      dataKey.fill(0);
    }
  }

  open(sealed: string, aad: string): string {
    const parts = sealed.split('.');
    if (parts.length !== 5) throw new EnvelopeError('it is not in the v1 format.');
    const [version, keyId, wrappedPart, ivPart, ctPart] = parts as [string, string, string, string, string];
    if (version !== VERSION) throw new EnvelopeError(`format version "${version}" is not supported.`);
    const masterKey = this.keys.get(keyId);
    if (!masterKey) {
      throw new EnvelopeError(
        `it was sealed under master key ${keyId}, which is not configured (the current key is ${this.currentKeyId}).`,
      );
    }
    const wrapped = unb64(wrappedPart);
    const iv = unb64(ivPart);
    const ctTag = unb64(ctPart);
    if (
      !wrapped ||
      wrapped.length !== IV_BYTES + KEY_BYTES + TAG_BYTES ||
      !iv ||
      iv.length !== IV_BYTES ||
      !ctTag ||
      ctTag.length < TAG_BYTES
    ) {
      throw new EnvelopeError('it is malformed.');
    }
    let dataKey: Buffer;
    try {
      dataKey = decrypt(masterKey, wrapped, wrapAad(keyId, aad));
    } catch {
      throw new EnvelopeError('the data key failed authentication (tampered, another row, or another master key).');
    }
    try {
      return decrypt(dataKey, Buffer.concat([iv, ctTag]), valueAad(aad)).toString('utf8');
    } catch {
      throw new EnvelopeError('the value failed authentication (tampered, or sealed for another row).');
    } finally {
      dataKey.fill(0);
    }
  }
}

// Distinct AAD prefixes keep the two layers apart: a wrapped key can never pass as a value.
const wrapAad = (keyId: string, aad: string): Buffer => Buffer.from(`slipway:dek:${VERSION}:${keyId}:${aad}`, 'utf8');
const valueAad = (aad: string): Buffer => Buffer.from(`slipway:value:${VERSION}:${aad}`, 'utf8');

/** iv | ciphertext | tag */
function encrypt(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, {
    authTagLength: TAG_BYTES,
  });
  cipher.setAAD(aad);
  return Buffer.concat([iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

function decrypt(key: Buffer, ivCtTag: Buffer, aad: Buffer): Buffer {
  const iv = ivCtTag.subarray(0, IV_BYTES);
  const tag = ivCtTag.subarray(ivCtTag.length - TAG_BYTES);
  const ct = ivCtTag.subarray(IV_BYTES, ivCtTag.length - TAG_BYTES);
  const decipher = createDecipheriv(ALGORITHM, key, iv, {
    authTagLength: TAG_BYTES,
  });
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ct), decipher.final()]);
}

const b64 = (buf: Buffer): string => buf.toString('base64url');

/** Strict base64url: Node's decoder skips bad characters, so re-encode and compare. */
function unb64(s: string): Buffer | null {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) return null;
  const buf = Buffer.from(s, 'base64url');
  return buf.toString('base64url') === s ? buf : null;
}
