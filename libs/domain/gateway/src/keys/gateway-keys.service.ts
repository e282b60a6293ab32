import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditService } from '@slipway/audit';
import {
  GATEWAY_KEY_PREFIX,
  GATEWAY_KEY_SCOPES,
  createGatewayKeyInputSchema,
  type CreateGatewayKeyInput,
  type CreatedGatewayKeyDto,
  type GatewayKeyDto,
  type OrgActor,
  type TenantScope,
} from '@slipway/contracts';
import { Envelope, generateSecretToken, sha256Hex } from '@slipway/crypto';
import type { Tx } from '@slipway/db';
import { notFound } from '@slipway/errors';
import { GatewayInvalidation } from '@slipway/redis';
import { announce } from '../callers/announce';
import { parseInput } from '../providers/parse-input';
import { toGatewayKeyDto, usdToMicros } from './gateway-key.mapper';
import { GatewayKeysRepository, type EnvironmentRef } from './gateway-keys.repository';

/** Characters of the key kept in clear for lists: the prefix plus enough to tell keys apart. */
const DISPLAY_PREFIX_LENGTH = GATEWAY_KEY_PREFIX.length + 8;

/** A sealed environment key opens only for its own row. */
export const environmentKeyAad = (keyId: string): string => `gateway-key:${keyId}`;

/**
 * Virtual keys of a project. A key is shown once; only its SHA-256 is kept for lookup. An
 * environment's key (one live per environment) also keeps a sealed copy, because every
 * deployment of the environment is given it. Revoking tells every api process at once.
 */
@Injectable()
export class GatewayKeysService {
  private readonly logger = new Logger('gateway');

  constructor(
    @Inject(GatewayKeysRepository) private readonly repository: GatewayKeysRepository,
    @Inject(Envelope) private readonly envelope: Envelope,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(GatewayInvalidation) private readonly invalidation: GatewayInvalidation,
  ) {}

  /** A user key of a project the caller already resolved in its organization. */
  async create(actor: OrgActor, projectId: string, raw: CreateGatewayKeyInput): Promise<CreatedGatewayKeyDto> {
    const input = parseInput(createGatewayKeyInputSchema, raw);
    let environment: EnvironmentRef | null = null;
    if (input.environment !== undefined) {
      environment = await this.repository.findEnvironmentByName(actor, projectId, input.environment);
      if (!environment) throw notFound(`Environment "${input.environment}"`);
    }
    const token = generateSecretToken(GATEWAY_KEY_PREFIX);
    const scopes = [...new Set(input.scopes)];
    const expiresAt = input.expiresInDays == null ? null : new Date(Date.now() + input.expiresInDays * 86_400_000);
    const monthlyBudgetMicros = input.monthlyBudgetUsd == null ? null : usdToMicros(input.monthlyBudgetUsd);
    const row = await this.repository.transaction(async (tx) => {
      const created = await this.repository.create(
        actor,
        {
          projectId,
          environmentId: environment?.id ?? null,
          kind: 'USER',
          name: input.name,
          prefix: token.slice(0, DISPLAY_PREFIX_LENGTH),
          tokenHash: sha256Hex(token),
          scopes,
          monthlyBudgetMicros,
          expiresAt,
          createdById: actor.userId,
        },
        tx,
      );
      await this.audit.record(
        {
          organizationId: actor.organizationId,
          actor,
          action: 'gateway.key_created',
          target: `gateway-key:${created.prefix}…`,
          metadata: {
            projectId,
            name: input.name,
            kind: 'USER',
            environment: environment?.name ?? null,
            scopes,
            expiresAt: expiresAt?.toISOString() ?? null,
            monthlyBudgetUsd: input.monthlyBudgetUsd ?? null,
          },
        },
        tx,
      );
      return created;
    });
    return { ...toGatewayKeyDto(row, environment?.name ?? null), token };
  }

  async list(scope: TenantScope, projectId: string): Promise<GatewayKeyDto[]> {
    const rows = await this.repository.list(scope, projectId);
    const names = await this.repository.environmentNames(
      scope,
      rows.flatMap((r) => (r.environmentId ? [r.environmentId] : [])),
    );
    return rows.map((r) => toGatewayKeyDto(r, r.environmentId ? (names.get(r.environmentId) ?? null) : null));
  }

  /** Effective on the next request in every api process. Revoking twice is a no-op. */
  async revoke(actor: OrgActor, projectId: string, keyId: string): Promise<void> {
    const revoked = await this.repository.transaction(async (tx) => {
      const key = await this.repository.find(actor, projectId, keyId, tx);
      if (!key) throw notFound('Gateway key');
      if (key.revokedAt) return false;
      await this.repository.revoke(actor, key.id, new Date(), tx);
      await this.audit.record(
        {
          organizationId: actor.organizationId,
          actor,
          action: 'gateway.key_revoked',
          target: `gateway-key:${key.prefix}…`,
          metadata: { projectId, name: key.name, kind: key.kind },
        },
        tx,
      );
      return true;
    });
    if (revoked) await announce(this.invalidation, { keyId }, this.logger);
  }

  /**
   * The environment's key in clear, minted on first use (or after it was revoked). Deployments
   * call this when they create containers; the environment row is locked meanwhile so two
   * concurrent deployments share one key.
   */
  async ensureEnvironmentKey(scope: TenantScope, environmentId: string): Promise<string> {
    return this.repository.transaction(async (tx) => {
      const env = await this.repository.lockEnvironment(scope, environmentId, tx);
      if (!env) throw notFound('Environment');
      const current = await this.repository.findActiveEnvironmentKey(scope, environmentId, tx);
      if (current?.sealedToken) {
        try {
          return this.envelope.open(current.sealedToken, environmentKeyAad(current.id));
        } catch {
          // Sealed under a master key that is gone: replace the key rather than block deploys.
          this.logger.warn(`gateway: environment key ${current.id} cannot be decrypted; minting a new one`);
          await this.repository.revoke(scope, current.id, new Date(), tx);
        }
      }
      return this.mintEnvironmentKey(scope, env, tx);
    });
  }

  private async mintEnvironmentKey(scope: TenantScope, env: EnvironmentRef, tx: Tx): Promise<string> {
    const token = generateSecretToken(GATEWAY_KEY_PREFIX);
    const scopes = [...GATEWAY_KEY_SCOPES];
    const created = await this.repository.create(
      scope,
      {
        projectId: env.projectId,
        environmentId: env.id,
        kind: 'ENVIRONMENT',
        name: env.name,
        prefix: token.slice(0, DISPLAY_PREFIX_LENGTH),
        tokenHash: sha256Hex(token),
        scopes,
        monthlyBudgetMicros: null,
        expiresAt: null,
        createdById: null,
      },
      tx,
    );
    await this.repository.setSealedToken(scope, created.id, this.envelope.seal(token, environmentKeyAad(created.id)), tx);
    await this.audit.record(
      {
        organizationId: scope.organizationId,
        action: 'gateway.key_created',
        target: `gateway-key:${created.prefix}…`,
        metadata: { projectId: env.projectId, name: env.name, kind: 'ENVIRONMENT', environment: env.name, scopes },
      },
      tx,
    );
    return token;
  }
}
