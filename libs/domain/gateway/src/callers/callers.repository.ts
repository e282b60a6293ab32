import { Inject, Injectable } from '@nestjs/common';
import type { ProviderKind } from '@slipway/contracts';
import { PrismaService } from '@slipway/db';

/** What one lookup of a key returns: the key, its environment's live release, and its organization's routing and providers. */
export interface CallerRecord {
  id: string;
  organizationId: string;
  projectId: string;
  environmentId: string | null;
  /** False when the key names an environment that no longer exists. */
  environmentExists: boolean;
  scopes: string[];
  monthlyBudgetMicros: bigint | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  releaseId: string | null;
  releaseNumber: number | null;
  /** The release's frozen `slipwayConfig.gateway` (unparsed), or null. */
  releaseGateway: unknown;
  /** `GatewayDefaults.config` (unparsed), or null. */
  orgDefaults: unknown;
  providers: { id: string; name: string; kind: ProviderKind; baseUrl: string; sealedCredential: string }[];
}

/**
 * The gateway's hot-path reads. Looked up by token hash, which is unique across tenants, so
 * there is no tenant scope to apply before the key itself names its organization; every join
 * is then confined to that organization.
 */
@Injectable()
export class CallersRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  /** One round trip: key + environment + live release + organization defaults + providers. */
  async findByTokenHash(tokenHash: string): Promise<CallerRecord | null> {
    const rows = await this.prisma.$queryRaw<CallerRecord[]>`
      SELECT k.id, k."organizationId", k."projectId", k."environmentId", k.scopes, k."monthlyBudgetMicros",
             k."expiresAt", k."revokedAt", k."lastUsedAt",
             (k."environmentId" IS NULL OR e.id IS NOT NULL) AS "environmentExists",
             r.id AS "releaseId", r.number AS "releaseNumber", r."slipwayConfig" -> 'gateway' AS "releaseGateway",
             d.config AS "orgDefaults",
             COALESCE((
               SELECT json_agg(json_build_object('id', p.id, 'name', p.name, 'kind', p.kind, 'baseUrl', p."baseUrl", 'sealedCredential', p."sealedCredential") ORDER BY p.name)
               FROM "Provider" p WHERE p."organizationId" = k."organizationId"
             ), '[]'::json) AS providers
      FROM "GatewayKey" k
      LEFT JOIN "Environment" e ON e.id = k."environmentId" AND e."organizationId" = k."organizationId"
      LEFT JOIN "Release" r ON r.id = e."liveReleaseId" AND r."organizationId" = k."organizationId"
      LEFT JOIN "GatewayDefaults" d ON d."organizationId" = k."organizationId"
      WHERE k."tokenHash" = ${tokenHash}`;
    return rows[0] ?? null;
  }

  /** Last use, for the console; called at most once a minute per key and never awaited by a request. */
  async touch(keyId: string, at: Date): Promise<void> {
    await this.prisma.gatewayKey.updateMany({ where: { id: keyId }, data: { lastUsedAt: at } });
  }
}
