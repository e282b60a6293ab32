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
import { notFound } from '@slipway/errors';
import { SecretsRepository } from './secrets.repository';
import { openSealed } from './secrets.sealing';
import { validateBulkInput, validateSetInput } from './secrets.validation';
import { readValuesAt } from './use-cases/values-at';
import { EnvVarWriter, type WriteOutcome } from './use-cases/write-env-var';

export interface ResolvedEnvVar {
  key: string;
  value: string;
  version: number;
  secret: boolean;
}

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
    @Inject(EnvVarWriter) private readonly writer: EnvVarWriter,
    @Inject(Envelope) private readonly envelope: Envelope,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  /** Live variables sorted by key: plain values shown, secrets masked. */
  async list(scope: TenantScope, environmentId: string): Promise<EnvVarDto[]> {
    const rows = await this.repository.listLive(scope, environmentId);
    if (rows.length === 0) return [];
    const [plain, emails] = await Promise.all([
      this.repository.readSealedValues(scope, environmentId, { secret: false }),
      this.repository.authorEmails(
        scope,
        rows.map((r) => r.versionCreatedById),
      ),
    ]);
    const plainValues = new Map(plain.map((p) => [p.envVarId, p]));
    return rows.map((row) => {
      const sealed = row.secret ? undefined : plainValues.get(row.id);
      return {
        key: row.key,
        secret: row.secret,
        // A plain value missing here turned secret between the two reads: mask it.
        value: sealed ? openSealed(this.envelope, sealed) : MASK,
        version: row.currentVersion,
        updatedAt: row.versionCreatedAt.toISOString(),
        updatedBy: row.versionCreatedById ? (emails.get(row.versionCreatedById) ?? null) : null,
      };
    });
  }

  /** Creates or changes a variable. A new version is written only when the value or secret flag changed. */
  async set(scope: TenantScope, actor: Actor, environmentId: string, key: string, input: UpsertEnvVarInput): Promise<EnvVarDto> {
    const valid = validateSetInput(key, input);
    return this.writer.withRetry(() =>
      this.repository.transaction(async (tx) => {
        const result = await this.writer.write(tx, scope, actor, { environmentId, key }, valid.value, valid.secret);
        if (result.outcome !== 'unchanged') {
          await this.audit.record(
            {
              organizationId: scope.organizationId,
              actor,
              action: 'secret.set',
              target: `envvar:${key}`,
              metadata: { environmentId, key, version: result.version, secret: result.secret },
            },
            tx,
          );
        }
        let updatedBy: string | null = null;
        if (result.updatedById === actor.userId) updatedBy = actor.email;
        else if (result.updatedById) {
          updatedBy = (await this.repository.authorEmails(scope, [result.updatedById], tx)).get(result.updatedById) ?? null;
        }
        return {
          key,
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
    await this.writer.withRetry(() =>
      this.repository.transaction(async (tx) => {
        const version = await this.writer.tombstone(tx, scope, actor, { environmentId, key });
        await this.audit.record(
          {
            organizationId: scope.organizationId,
            actor,
            action: 'secret.deleted',
            target: `envvar:${key}`,
            metadata: { environmentId, key, version },
          },
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
    return this.writer.withRetry(() =>
      this.repository.transaction(
        async (tx) => {
          const keys: Record<WriteOutcome, string[]> = { created: [], updated: [], unchanged: [] };
          for (const entry of entries) {
            const result = await this.writer.write(tx, scope, actor, { environmentId, key: entry.key }, entry.value, secret, {
              keepSecret: true,
            });
            keys[result.outcome].push(entry.key);
          }
          const counts = { created: keys.created.length, updated: keys.updated.length, unchanged: keys.unchanged.length };
          if (counts.created + counts.updated > 0) {
            await this.audit.record(
              {
                organizationId: scope.organizationId,
                actor,
                action: 'secret.bulk_imported',
                target: `environment:${environmentId}`,
                metadata: { environmentId, secret, created: keys.created, updated: keys.updated, counts },
              },
              tx,
            );
          }
          return counts;
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
    return { key, value: openSealed(this.envelope, sealed), version: sealed.version };
  }

  /** Version history, newest first, without values. Works for deleted variables too. */
  async versions(scope: TenantScope, environmentId: string, key: string): Promise<EnvVarVersionDto[]> {
    const existing = await this.repository.findByKey(scope, environmentId, key);
    if (!existing) throw notFound(`Variable ${key}`);
    const rows = await this.repository.listVersions(scope, existing.id);
    const emails = await this.repository.authorEmails(
      scope,
      rows.map((r) => r.createdById),
    );
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
    return rows.map((r) => ({ key: r.key, value: openSealed(this.envelope, r), version: r.version, secret: r.secret }));
  }

  /**
   * Decrypted values of exactly these versions (`Release.envVarVersions`), for starting a
   * release's containers as it was built, whatever the variables are today.
   */
  async valuesAt(scope: TenantScope, environmentId: string, versions: Record<string, number>): Promise<Record<string, string>> {
    return readValuesAt(this.repository, this.envelope, scope, environmentId, versions);
  }

  /**
   * The secret values among exactly these versions (what a release's containers received),
   * non-empty and distinct, so a deployment's logs redact them even after a rotation.
   */
  async secretValuesAt(scope: TenantScope, environmentId: string, versions: Record<string, number>): Promise<string[]> {
    const values = await readValuesAt(this.repository, this.envelope, scope, environmentId, versions, { secretsOnly: true });
    return [...new Set(Object.values(values).filter((v) => v !== ''))];
  }

  /** Current secret values (non-empty, distinct), so build and runtime logs can redact them. */
  async secretValues(scope: TenantScope, environmentId: string): Promise<string[]> {
    const rows = await this.repository.readSealedValues(scope, environmentId, { secret: true });
    return [...new Set(rows.map((r) => openSealed(this.envelope, r)).filter((v) => v !== ''))];
  }
}
