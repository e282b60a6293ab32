import { Inject, Injectable } from '@nestjs/common';
import type { Actor, TenantScope } from '@slipway/contracts';
import { Envelope } from '@slipway/crypto';
import { isUniqueViolation, type Tx } from '@slipway/db';
import { AppError, notFound } from '@slipway/errors';
import { SecretsRepository } from '../secrets.repository';
import { envVarAad, openSealed } from '../secrets.sealing';

export type WriteOutcome = 'created' | 'updated' | 'unchanged';

export interface WriteResult {
  outcome: WriteOutcome;
  version: number;
  secret: boolean;
  updatedAt: Date;
  updatedById: string | null;
}

/** Another writer moved the variable between our read and our write; the transaction is retried. */
class ConcurrentChange extends Error {}

const MAX_ATTEMPTS = 5;

/**
 * The versioning rules shared by set, bulk and remove. Each method runs inside the caller's
 * transaction (which also writes the audit entry); `withRetry` reruns that whole transaction
 * when a concurrent writer of the same key won the race.
 */
@Injectable()
export class EnvVarWriter {
  constructor(
    @Inject(SecretsRepository) private readonly repository: SecretsRepository,
    @Inject(Envelope) private readonly envelope: Envelope,
  ) {}

  /**
   * Creates or changes `key`. A new immutable version only when the value or the secret flag
   * changed; a deleted key continues its numbering. With `keepSecret`, an existing secret stays
   * secret whatever `requestedSecret` says.
   */
  async write(
    tx: Tx,
    scope: TenantScope,
    actor: Actor,
    target: { environmentId: string; key: string },
    value: string,
    requestedSecret: boolean,
    options: { keepSecret?: boolean } = {},
  ): Promise<WriteResult> {
    const { environmentId, key } = target;
    const existing = await this.repository.findByKey(scope, environmentId, key, tx);
    if (!existing) {
      if (!(await this.repository.environmentInScope(scope, environmentId, tx))) throw notFound('Environment');
      const created = await this.repository.createVar(scope, { environmentId, key, secret: requestedSecret }, tx);
      const { createdAt } = await this.insertValue(tx, scope, actor, created.id, 1, requestedSecret, value);
      return { outcome: 'created', version: 1, secret: requestedSecret, updatedAt: createdAt, updatedById: actor.userId };
    }

    const secret = requestedSecret || (options.keepSecret === true && existing.secret && !existing.deletedAt);
    if (!existing.deletedAt) {
      const [current] = await this.repository.readSealedValues(scope, environmentId, { keys: [key] }, tx);
      if (current && current.secret === secret && openSealed(this.envelope, current) === value) {
        const meta = await this.repository.findVersion(scope, existing.id, current.version, tx);
        return {
          outcome: 'unchanged',
          version: current.version,
          secret,
          updatedAt: meta?.createdAt ?? new Date(),
          updatedById: meta?.createdById ?? null,
        };
      }
    }

    const version = existing.currentVersion + 1;
    if (!(await this.repository.advanceVar(scope, existing.id, existing.currentVersion, { secret, deleted: false }, tx))) {
      throw new ConcurrentChange();
    }
    const { createdAt } = await this.insertValue(tx, scope, actor, existing.id, version, secret, value);
    return { outcome: existing.deletedAt ? 'created' : 'updated', version, secret, updatedAt: createdAt, updatedById: actor.userId };
  }

  /** Deletes `key` with a value-less `deleted` version. Returns that version. */
  async tombstone(tx: Tx, scope: TenantScope, actor: Actor, target: { environmentId: string; key: string }): Promise<number> {
    const existing = await this.repository.findByKey(scope, target.environmentId, target.key, tx);
    if (!existing || existing.deletedAt) throw notFound(`Variable ${target.key}`);
    const version = existing.currentVersion + 1;
    if (!(await this.repository.advanceVar(scope, existing.id, existing.currentVersion, { secret: existing.secret, deleted: true }, tx))) {
      throw new ConcurrentChange();
    }
    await this.repository.insertVersion(
      scope,
      { envVarId: existing.id, version, secret: existing.secret, deleted: true, sealedValue: null, createdById: actor.userId },
      tx,
    );
    return version;
  }

  /** Reruns `run` (a whole transaction) when it lost a race with another writer of the same key. */
  async withRetry<T>(run: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await run();
      } catch (error) {
        const raced = error instanceof ConcurrentChange || isUniqueViolation(error);
        if (!raced) throw error;
        if (attempt >= MAX_ATTEMPTS) {
          throw new AppError('SERVICE_UNAVAILABLE', 'The variable is being changed by someone else. Retry.', undefined, {
            retryable: true,
            retryAfterSeconds: 1,
          });
        }
      }
    }
  }

  private insertValue(tx: Tx, scope: TenantScope, actor: Actor, envVarId: string, version: number, secret: boolean, value: string) {
    const sealedValue = this.envelope.seal(value, envVarAad(envVarId, version));
    return this.repository.insertVersion(scope, { envVarId, version, secret, deleted: false, sealedValue, createdById: actor.userId }, tx);
  }
}
