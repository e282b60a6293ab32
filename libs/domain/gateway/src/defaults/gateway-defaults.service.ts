import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditService } from '@slipway/audit';
import { CONFIG, type Config } from '@slipway/config';
import {
  setGatewayDefaultsInputSchema,
  type EffectiveRoutingDto,
  type GatewayConfig,
  type GatewayDefaultsDto,
  type OrgActor,
  type SetGatewayDefaultsInput,
  type TenantScope,
} from '@slipway/contracts';
import type { Prisma } from '@slipway/db';
import { validationFailed } from '@slipway/errors';
import { GatewayInvalidation } from '@slipway/redis';
import { announce } from '../callers/announce';
import { parseInput } from '../providers/parse-input';
import { mockProviderDto, toProviderDto } from '../providers/provider.mapper';
import { ProvidersRepository } from '../providers/providers.repository';
import { effectiveGatewayConfig, mockProviderRef, validateGatewayConfig, type ProviderRef } from '../routing';
import { GatewayDefaultsRepository } from './gateway-defaults.repository';

/**
 * Routing every app of an organization gets when its release has no `gateway:` section, and
 * the routing an environment gets now (with where it came from). Defaults are checked by the
 * same rules as slipway.yaml; a change is audited and reaches every api process at once.
 */
@Injectable()
export class GatewayDefaultsService {
  private readonly logger = new Logger('gateway');

  constructor(
    @Inject(GatewayDefaultsRepository) private readonly repository: GatewayDefaultsRepository,
    @Inject(ProvidersRepository) private readonly providers: ProvidersRepository,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(GatewayInvalidation) private readonly invalidation: GatewayInvalidation,
    @Inject(CONFIG) private readonly config: Pick<Config, 'GATEWAY_MOCK_URL'>,
  ) {}

  async get(scope: TenantScope): Promise<GatewayDefaultsDto> {
    const row = await this.repository.find(scope);
    return { config: (row?.config ?? {}) as Record<string, unknown>, updatedAt: row?.updatedAt.toISOString() ?? null };
  }

  /** Replaces the defaults; 400 lists every problem with its path under `config.` (nothing is saved). */
  async set(actor: OrgActor, raw: SetGatewayDefaultsInput): Promise<GatewayDefaultsDto> {
    const input = parseInput(setGatewayDefaultsInputSchema, raw);
    const result = validateGatewayConfig(input.config ?? {});
    if (!result.ok)
      throw validationFailed(result.errors.map((e) => ({ path: e.path ? `config.${e.path}` : 'config', message: e.message })));
    const config = result.config;
    const row = await this.repository.transaction(async (tx) => {
      const saved = await this.repository.upsert(actor, config as Prisma.InputJsonValue, actor.userId, tx);
      await this.audit.record(
        {
          organizationId: actor.organizationId,
          actor,
          action: 'gateway.defaults_updated',
          target: 'gateway:routing-defaults',
          metadata: summary(config),
        },
        tx,
      );
      return saved;
    });
    await announce(this.invalidation, { organizationId: actor.organizationId }, this.logger);
    return { config: row.config as Record<string, unknown>, updatedAt: row.updatedAt.toISOString() };
  }

  /** The routing the environment's apps get now: its live release's, else the defaults, else the built-in. */
  async effective(scope: TenantScope, environmentId: string): Promise<EffectiveRoutingDto> {
    const [release, defaults, rows] = await Promise.all([
      this.repository.liveRelease(scope, environmentId),
      this.repository.find(scope),
      this.providers.list(scope),
    ]);
    const mockUrl = this.config.GATEWAY_MOCK_URL.replace(/\/+$/, '');
    const refs: ProviderRef[] = [mockProviderRef(mockUrl), ...rows.map((p) => ({ name: p.name, kind: p.kind, baseUrl: p.baseUrl }))];
    const parsed = defaults ? validateGatewayConfig(defaults.config) : null;
    const { config, from } = effectiveGatewayConfig({ release, orgDefaults: parsed?.ok ? parsed.config : null, providers: refs });
    return { config: config as Record<string, unknown>, from, providers: [mockProviderDto(mockUrl), ...rows.map(toProviderDto)] };
  }
}

/** What the audit entry says about new defaults: their shape, not the whole document. */
function summary(config: GatewayConfig): Record<string, unknown> {
  return {
    aliases: Object.keys(config.models ?? {}),
    budgets: config.budgets?.length ?? 0,
    limits: Object.keys(config.limits ?? {}),
  };
}
