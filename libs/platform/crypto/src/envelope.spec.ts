import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Envelope, EnvelopeError, masterKeyId } from './envelope';

const key = randomBytes(32);
const envelope = Envelope.fromMasterKeys(key);
const AAD = 'envvar:0197a1b2-row:3';

/** Flips one bit of the decoded bytes of part `index` and re-encodes it. */
function tamper(sealed: string, index: number, at = 0): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[index] as string, 'base64url');
  bytes[at % bytes.length] = (bytes[at % bytes.length] as number) ^ 0x01;
  parts[index] = bytes.toString('base64url');
  return parts.join('.');
}

describe('Envelope', () => {
  it('round-trips text, including empty and non-ASCII values', () => {
    for (const value of ['postgres://u:p@db/app', '', 'héllo ✓ 🚀', 'x'.repeat(64 * 1024)]) {
      expect(envelope.open(envelope.seal(value, AAD), AAD)).toBe(value);
    }
  });

  it('produces the v1 format with the master key id', () => {
    const sealed = envelope.seal('value', AAD);
    const parts = sealed.split('.');
    expect(parts).toHaveLength(5);
    expect(parts[0]).toBe('v1');
    expect(parts[1]).toBe(masterKeyId(key));
    expect(parts[1]).toMatch(/^[0-9a-f]{8}$/);
    expect(Buffer.from(parts[2] as string, 'base64url')).toHaveLength(12 + 32 + 16);
    expect(Buffer.from(parts[3] as string, 'base64url')).toHaveLength(12);
    expect(sealed).not.toContain('value');
  });

  it('seals the same plaintext differently every time', () => {
    const a = envelope.seal('same', AAD);
    const b = envelope.seal('same', AAD);
    expect(a).not.toBe(b);
    expect(a.split('.')[2]).not.toBe(b.split('.')[2]);
    expect(a.split('.')[3]).not.toBe(b.split('.')[3]);
  });

  it.each([
    ['wrapped key, first byte', 2, 0],
    ['wrapped key, middle byte', 2, 30],
    ['wrapped key, tag', 2, 59],
    ['value iv', 3, 0],
    ['ciphertext', 4, 0],
    ['value tag', 4, 1_000],
  ])('rejects a flipped bit in the %s', (_name, index, at) => {
    const sealed = envelope.seal('a secret value', AAD);
    expect(() => envelope.open(tamper(sealed, index, at), AAD)).toThrow(EnvelopeError);
  });

  it('rejects a changed version or key id', () => {
    const parts = envelope.seal('v', AAD).split('.');
    expect(() => envelope.open(['v2', ...parts.slice(1)].join('.'), AAD)).toThrow(/not supported/);
    expect(() => envelope.open([parts[0], '00000000', ...parts.slice(2)].join('.'), AAD)).toThrow(/not configured/);
  });

  it('rejects malformed input and non-canonical base64url', () => {
    const sealed = envelope.seal('v', AAD);
    expect(() => envelope.open('garbage', AAD)).toThrow(EnvelopeError);
    expect(() => envelope.open(`${sealed}.x`, AAD)).toThrow(EnvelopeError);
    expect(() => envelope.open(sealed.replace(/\.([^.]+)$/, '.$1=='), AAD)).toThrow(EnvelopeError);
    expect(() => envelope.open(sealed.replace(/\.([^.]+)$/, '.!$1'), AAD)).toThrow(EnvelopeError);
  });

  it('rejects the wrong AAD, so values cannot be swapped between rows or versions', () => {
    const sealed = envelope.seal('row A value', 'envvar:A:1');
    expect(() => envelope.open(sealed, 'envvar:B:1')).toThrow(EnvelopeError);
    expect(() => envelope.open(sealed, 'envvar:A:2')).toThrow(EnvelopeError);
  });

  it('rejects another master key, even one that claims the same id', () => {
    const sealed = envelope.seal('v', AAD);
    const other = Envelope.fromMasterKeys(randomBytes(32));
    expect(() => other.open(sealed, AAD)).toThrow(/not configured/);
    // Forge the key id so the other key is tried: authentication still fails.
    const forged = sealed.replace(`.${envelope.keyId}.`, `.${other.keyId}.`);
    expect(() => other.open(forged, AAD)).toThrow(EnvelopeError);
  });

  it('opens values sealed under a previous master key during rotation', () => {
    const sealed = envelope.seal('old', AAD);
    const rotated = Envelope.fromMasterKeys(randomBytes(32), key);
    expect(rotated.open(sealed, AAD)).toBe('old');
    expect(rotated.seal('new', AAD).split('.')[1]).toBe(rotated.keyId);
  });

  it('never puts key material or plaintext in error messages', () => {
    const sealed = envelope.seal('hunter2', AAD);
    try {
      envelope.open(sealed, 'other');
      expect.unreachable();
    } catch (e) {
      expect(String((e as Error).message)).not.toContain('hunter2');
      expect(String((e as Error).message)).not.toContain(key.toString('base64'));
    }
  });

  it('reads the master key from configuration and refuses a wrong-sized key', () => {
    const fromConfig = new Envelope({
      SLIPWAY_MASTER_KEY: key.toString('base64'),
      SLIPWAY_MASTER_KEY_FILE: '',
    });
    expect(fromConfig.open(envelope.seal('cfg', AAD), AAD)).toBe('cfg');
    expect(
      () =>
        new Envelope({
          SLIPWAY_MASTER_KEY: randomBytes(16).toString('base64'),
          SLIPWAY_MASTER_KEY_FILE: '',
        }),
    ).toThrow(/32 bytes/);
  });
});
