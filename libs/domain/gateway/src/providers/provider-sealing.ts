import type { Envelope } from '@slipway/crypto';
import { AppError } from '@slipway/errors';

/** A credential's AAD: the sealed key only opens for this provider row. */
export const providerCredentialAad = (providerId: string): string => `provider:${providerId}`;

/** The last 4 characters of an API key, enough to tell keys apart in the console. */
export const credentialHint = (apiKey: string): string => apiKey.slice(-4);

/** Opens a stored credential. The error names the provider, never the key or the sealed string. */
export function openCredential(envelope: Envelope, row: { id: string; name: string; sealedCredential: string }): string {
  try {
    return envelope.open(row.sealedCredential, providerCredentialAad(row.id));
  } catch {
    throw new AppError('INTERNAL', `The API key of provider ${row.name} cannot be decrypted with the configured master key.`);
  }
}
