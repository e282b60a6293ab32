import type { Envelope } from '@slipway/crypto';
import { AppError } from '@slipway/errors';
import type { SealedValueRow } from './secrets.repository';

/** A value's AAD: the sealed string only opens for this variable at this version. */
export const envVarAad = (envVarId: string, version: number): string => `envvar:${envVarId}:${version}`;

/** Opens a stored value. The error names the key and version, never the value or the sealed string. */
export function openSealed(envelope: Envelope, row: SealedValueRow): string {
  try {
    return envelope.open(row.sealedValue, envVarAad(row.envVarId, row.version));
  } catch {
    throw new AppError('INTERNAL', `Variable ${row.key} (version ${row.version}) cannot be decrypted with the configured master key.`);
  }
}
