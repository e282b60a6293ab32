import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '@slipway/audit';
import {
  MASK,
  type Actor,
  type BulkEnvVarsInput,
  type BulkResultDto,
  type EnvVarDto,
  type EnvVarVersionDto,
  type RevealedEnvVarDto,
  type TenantScope,
  type UpsertEnvVarInput,
} from '@slipway/contracts';
import { Envelope } from '@slipway/crypto';
import { isUniqueViolation, type Tx } from '@slipway/db';
import { AppError, notFound } from '@slipway/errors';
import { SecretsRepository, type SealedValueRow } from './secrets.repository';
import { validateBulkInput, validateSetInput } from './secrets.validation';

/** A value's AAD: the sealed string only opens for this variable at this version. */
export const envVarAad = (envVarId: string, version: number): string => `envvar:${envVarId}:${version}`;

export interface ResolvedEnvVar {
  key: string;
  value: string;
  version: number;
  secret: boolean;
}

type WriteOutcome = 'created' | 'updated' | 'unchanged';
interface WriteResult {
  outcome: WriteOutcome;
  version: number;
  secret: boolean;
  updatedAt: Date;
  updatedById: string | null;
}

/** Another writer moved the variable between our read and our write; the transaction is retried. */
class ConcurrentChange extends Error {}

const MAX_ATTEMPTS = 3;
const BULK_TIMEOUT_MS = 60_000;

/**
 * Environment variables and secrets of one environment. Callers pass an environment id they
 * already resolved and authorized; every query is still confined to `scope`.
 * Invariants (README.md): values sealed at rest, versions immutable, each write and its audit
 * entry in one transaction, secrets masked unless revealed, no value ever logged or audited.
 */
@Injectable()
export class SecretsService {
  constructor(
    @Inject(SecretsRepository) private readonly repository: SecretsRepository,
    @Inject(Envelope) private readonly envelope: Envelope,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  /** Live variables sorted by key: plain values shown, secrets masked. */
  async list(scope: TenantScope, environmentId: string): Promise<EnvVarDto[]> {
    const rows = await this.repository.listLive(scope, environmentId);
    if (rows.length === 0) return [];
    const [plain, emails] = await Promise.all([
      this.repository.readSealedValues(scope, environmentId, { secret: false }),
      this.repository.authorEmails(scope, rows.map((r) => r.versionCreatedById)),
    ]);
    const plainValues = new Map(plain.map((p) => [p.envVarId, p]));
    return rows.map((row) => {
      const sealed = row.secret ? undefined : plainValues.get(row.id);
      return {
        key: row.key,
        secret: row.secret,
        // A plain value missing here turned secret between the two reads: mask it.
        value: sealed ? this.open(sealed) : MASK,
        version: row.currentVersion,
        updatedAt: row.versionCreatedAt.toISOString(),
        updatedBy: row.versionCreatedById ? (emails.get(row.versionCreatedById) ?? null) : null,
      };
    });
  }

  /** Creates or changes a variable. A new version is written only when the value or secret flag changed. */
  async set(scope: TenantScope, actor: Actor, environmentId: string, key: string, input: UpsertEnvVarInput): Promise<EnvVarDto> {
    const valid = validateSetInput(key, input);
    return this.withRetry(() =>
      this.repository.transaction(async (tx) => {
        const result = await this.write(tx, scope, actor, environmentId, valid.key, valid.value, valid.secret);
        if (result.outcome !== 'unchanged') {
          await this.audit.record(
            {
              organizationId: scope.organizationId,
              actor,
              action: 'secret.set',
              target: `envvar:${valid.key}`,
              metadata: { environmentId, key: valid.key, version: result.version, secret: result.secret },
            },
            tx,
          );
        }
        const updatedBy =
          result.updatedById === actor.userId
            ? actor.email
            : result.updatedById
              ? ((await this.repository.authorEmails(scope, [result.updatedById], tx)).get(result.updatedById) ?? null)
              : null;
        return {
          key: valid.key,
          secret: result.secret,
          value: result.secret ? MASK : valid.value,
          version: result.version,
          updatedAt: result.updatedAt.toISOString(),
          updatedBy,
        };
      }),
    );
  }

  /** Deletes a variable: a `deleted` version keeps the history; re-creating it continues the numbering. */
  async remove(scope: TenantScope, actor: Actor, environmentId: string, key: string): Promise<void> {
    await this.withRetry(() =>
      this.repository.transaction(async (tx) => {
        const existing = await this.repository.findByKey(scope, environmentId, key, tx);
        if (!existing || existing.deletedAt) throw notFound(`Variable ${key}`);
        const version = existing.currentVersion + 1;
        if (!(await this.repository.advanceVar(scope, existing.id, existing.currentVersion, { secret: existing.secret, deleted: true }, tx))) {
          throw new ConcurrentChange();
        }
        await this.repository.insertVersion(
          scope,
          { envVarId: existing.id, version, secret: existing.secret, deleted: true, sealedValue: null, createdById: actor.userId },
          tx,
        );
        await this.audit.record(
          { organizationId: scope.organizationId, actor, action: 'secret.deleted', target: `envvar:${key}`, metadata: { environmentId, key, version } },
          tx,
        );
      }),
    );
  }

  /**
   * Imports a pasted `.env`. Any bad line fails the whole import (every bad line listed);
   * otherwise all variables are written in one transaction with one audit entry. An import
   * never turns an existing secret into a plain variable.
   */
  async bulk(scope: TenantScope, actor: Actor, environmentId: string, input: BulkEnvVarsInput): Promise<BulkResultDto> {
    const { entries, secret } = validateBulkInput(input);
    return this.withRetry(() =>
      this.repository.transaction(
        async (tx) => {
          const keys: Record<WriteOutcome, string[]> = { created: [], updated: [], unchanged: [] };
          for (const entry of entries) {
            const result = await this.write(tx, scope, actor, environmentId, entry.key, entry.value, secret, { keepSecret: true });
            keys[result.outcome].push(entry.key);
          }
          if (keys.created.length + keys.updated.length > 0) {
            await this.audit.record(
              {
                organizationId: scope.organizationId,
                actor,
                action: 'secret.bulk_imported',
                target: `environment:${environmentId}`,
                metadata: {
                  environmentId,
                  secret,
                  created: keys.created,
                  updated: keys.updated,
                  counts: { created: keys.created.length, updated: keys.updated.length, unchanged: keys.unchanged.length },
                },
              },
              tx,
            );
          }
          return { created: keys.created.length, updated: keys.updated.length, unchanged: keys.unchanged.length };
        },
        { timeoutMs: BULK_TIMEOUT_MS },
      ),
    );
  }

  /** The current value of one variable, secret or not; audited. */
  async reveal(scope: TenantScope, actor: Actor, environmentId: string, key: string): Promise<RevealedEnvVarDto> {
    const sealed = await this.repository.transaction(async (tx) => {
      const [current] = await this.repository.readSealedValues(scope, environmentId, { keys: [key] }, tx);
      if (!current) throw notFound(`Variable ${key}`);
      await this.audit.record(
        {
          organizationId: scope.organizationId,
          actor,
          action: 'secret.revealed',
          target: `envvar:${key}`,
          metadata: { environmentId, key, version: current.version },
        },
        tx,
      );
      return current;
    });
    return { key, value: this.open(sealed), version: sealed.version };
  }

  /** Version history, newest first, without values. Works for deleted variables too. */
  async versions(scope: TenantScope, environmentId: string, key: string): Promise<EnvVarVersionDto[]> {
    const existing = await this.repository.findByKey(scope, environmentId, key);
    if (!existing) throw notFound(`Variable ${key}`);
    const rows = await this.repository.listVersions(scope, existing.id);
    const emails = await this.repository.authorEmails(scope, rows.map((r) => r.createdById));
    return rows.map((r) => ({
      version: r.version,
      secret: r.secret,
      deleted: r.deleted,
      createdAt: r.createdAt.toISOString(),
      createdBy: r.createdById ? (emails.get(r.createdById) ?? null) : null,
    }));
  }

  /** Current decrypted values of every live variable, sorted by key, for a release snapshot. */
  async resolveForRelease(scope: TenantScope, environmentId: string): Promise<ResolvedEnvVar[]> {
    const rows = await this.repository.readSealedValues(scope, environmentId);
    return rows.map((r) => ({ key: r.key, value: this.open(r), version: r.version, secret: r.secret }));
  }

  /** Current secret values (non-empty, distinct), so build and runtime logs can redact them. */
  async secretValues(scope: TenantScope, environmentId: string): Promise<string[]> {
    const rows = await this.repository.readSealedValues(scope, environmentId, { secret: true });
    return [...new Set(rows.map((r) => this.open(r)).filter((v) => v !== ''))];
  }

  /** Writes one variable inside `tx`; the caller audits. */
  private async write(
    tx: Tx,
    scope: TenantScope,
    actor: Actor,
    environmentId: string,
    key: string,
    value: string,
    requestedSecret: boolean,
    options: { keepSecret?: boolean } = {},
  ): Promise<WriteResult> {
    const existing = await this.repository.findByKey(scope, environmentId, key, tx);
    if (!existing) {
      const created = await this.repository.createVar(scope, { environmentId, key, secret: requestedSecret }, tx);
      const { createdAt } = await this.insertValue(tx, scope, actor, created.id, 1, requestedSecret, value);
      return { outcome: 'created', version: 1, updatedAt: createdAt, updatedById: actor.userId, secret: requestedSecret };
    }
    const secret = requestedSecret || (options.keepSecret === true && existing.secret && !existing.deletedAt);
    if (!existing.deletedAt) {
      const [current] = await this.repository.readSealedValues(scope, environmentId, { keys: [key] }, tx);
      if (current && current.secret === secret && this.open(current) === value) {
        const meta = await this.repository.findVersion(scope, existing.id, current.version, tx);
        return { outcome: 'unchanged', version: current.version, secret, updatedAt: meta?.createdAt ?? new Date(), updatedById: meta?.createdById ?? null };
      }
    }
    const version = existing.currentVersion + 1;
    if (!(await this.repository.advanceVar(scope, existing.id, existing.currentVersion, { secret, deleted: false }, tx))) {
      throw new ConcurrentChange();
    }
    const { createdAt } = await this.insertValue(tx, scope, actor, existing.id, version, secret, value);
    return { outcome: existing.deletedAt ? 'created' : 'updated', version, secret, updatedAt: createdAt, updatedById: actor.userId };
  }

  private insertValue(tx: Tx, scope: TenantScope, actor: Actor, envVarId: string, version: number, secret: boolean, value: string) {
    const sealedValue = this.envelope.seal(value, envVarAad(envVarId, version));
    return this.repository.insertVersion(scope, { envVarId, version, secret, deleted: false, sealedValue, createdById: actor.userId }, tx);
  }

  private open(row: SealedValueRow): string {
    try {
      return this.envelope.open(row.sealedValue, envVarAad(row.envVarId, row.version));
    } catch {
      // Never echo the sealed string; the key name and version are enough to investigate.
      throw new AppError('INTERNAL', `Variable ${row.key} (version ${row.version}) cannot be decrypted with the configured master key.`);
    }
  }

  /** Concurrent writers of the same key: the loser's transaction rolls back and runs again. */
  private async withRetry<T>(run: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await run();
      } catch (error) {
        const retryable = error instanceof ConcurrentChange || isUniqueViolation(error);
        if (!retryable || attempt >= MAX_ATTEMPTS) {
          if (retryable) throw new AppError('SERVICE_UNAVAILABLE', 'The variable is being changed by someone else. Retry.', undefined, { retryable: true, retryAfterSeconds: 1 });
          throw error;
        }
      }
    }
  }
}
