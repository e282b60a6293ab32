import type { TenantScope } from '@slipway/contracts';
import type { Envelope } from '@slipway/crypto';
import { AppError } from '@slipway/errors';
import type { SecretsRepository } from '../secrets.repository';
import { openSealed } from '../secrets.sealing';

/**
 * The decrypted values of exactly the given versions (`{ KEY: version }`, what a release
 * pinned), never today's values: rolling back restores the configuration the release was
 * built with. A pinned version that cannot be found (the variable's environment differs, or
 * the version is a deletion) is an error naming the key, so a deployment fails visibly
 * instead of starting without a variable.
 *
 * The two reads run in one transaction of the secrets repository; they belong in
 * `SecretsRepository.readSealedVersions` (a follow-up: this change could not touch that file).
 */
export async function readValuesAt(
  repository: SecretsRepository,
  envelope: Envelope,
  scope: TenantScope,
  environmentId: string,
  versions: Record<string, number>,
  options: { secretsOnly?: boolean } = {},
): Promise<Record<string, string>> {
  const keys = Object.keys(versions);
  if (keys.length === 0) return {};
  const rows = await repository.transaction(async (tx) => {
    const vars = await tx.envVar.findMany({
      where: { organizationId: scope.organizationId, environmentId, key: { in: keys } },
      select: { id: true, key: true },
    });
    if (vars.length === 0) return [];
    const byId = new Map(vars.map((v) => [v.id, v.key]));
    const found = await tx.envVarVersion.findMany({
      where: {
        organizationId: scope.organizationId,
        deleted: false,
        OR: vars.map((v) => ({ envVarId: v.id, version: versions[v.key]! })),
      },
      select: { envVarId: true, version: true, secret: true, sealedValue: true },
    });
    return found.flatMap((r) => (r.sealedValue === null ? [] : [{ ...r, sealedValue: r.sealedValue, key: byId.get(r.envVarId)! }]));
  });

  const values: Record<string, string> = {};
  for (const row of rows) if (row.secret || !options.secretsOnly) values[row.key] = openSealed(envelope, row);
  const found = new Set(rows.map((r) => r.key));
  const missing = keys.filter((k) => !found.has(k)).sort();
  if (missing.length > 0) {
    throw new AppError('NOT_FOUND', `Pinned variable version(s) not found: ${missing.map((k) => `${k} v${versions[k]}`).join(', ')}.`);
  }
  return values;
}
