import { randomBytes } from 'node:crypto';
import type { AuditService } from '@slipway/audit';
import { Envelope } from '@slipway/crypto';
import { AppError } from '@slipway/errors';
import { describe, expect, it } from 'vitest';
import type { SecretsRepository } from './secrets.repository';
import { SecretsService } from './secrets.service';
import { EnvVarWriter } from './use-cases/write-env-var';

/** A repository and audit log that fail the test if touched: validation must come first. */
const untouchable = <T extends object>(name: string): T =>
  new Proxy({} as T, {
    get: (_t, prop) => () => {
      throw new Error(`${name}.${String(prop)} must not be called`);
    },
  });

const repository = untouchable<SecretsRepository>('repository');
const envelope = Envelope.fromMasterKeys(randomBytes(32));
const service = new SecretsService(repository, new EnvVarWriter(repository, envelope), envelope, untouchable<AuditService>('audit'));
const scope = { organizationId: 'org-1' };
const actor = { userId: 'u-1', email: 'a@example.com' };

describe('SecretsService validation happens before any write', () => {
  it('set rejects an invalid key without touching the database', async () => {
    await expect(service.set(scope, actor, 'env-1', 'NOT-VALID', { value: 'x' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ path: 'key', message: expect.any(String) }],
    });
  });

  it('bulk with one bad line writes nothing and names the line', async () => {
    const error = await service.bulk(scope, actor, 'env-1', { dotenv: 'A=1\nB=2\nthis is wrong\nC=3' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).errors).toEqual([{ path: 'line 3', message: 'Expected KEY=value.' }]);
  });
});
