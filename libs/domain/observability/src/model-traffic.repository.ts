import { Inject, Injectable } from '@nestjs/common';
import type { ModelTrafficQuery, TenantScope } from '@slipway/contracts';
import { PrismaService } from '@slipway/db';
import type { PointPlan } from './point-plan';

/** Sums of one group over one slot of the gateway's per-minute usage. */
export interface ModelSlotRow {
  key: string;
  slot: number;
  calls: bigint;
  errors: bigint;
  streamed: bigint;
  inputTokens: bigint;
  outputTokens: bigint;
  cachedTokens: bigint;
  costMicros: bigint;
  latencyMsSum: bigint;
  ttftMsSum: bigint;
  retries: bigint;
  fallbacks: bigint;
}

/** Column of GatewayUsageMinute per `groupBy` (`model` is the model or alias the client asked for). */
const GROUP_COLUMN: Record<ModelTrafficQuery['groupBy'], string> = { alias: 'model', feature: 'feature', release: '"releaseId"' };

const utc = (param: string) => `to_timestamp(${param}::float8) AT TIME ZONE 'UTC'`;

const seriesSql = (groupBy: ModelTrafficQuery['groupBy']) => `
SELECT ${GROUP_COLUMN[groupBy]} AS key, floor((extract(epoch FROM minute)::float8 - $4::float8) / $6::float8)::int AS slot,
  sum(requests)::int8 AS calls, sum(errors)::int8 AS errors, sum(streamed)::int8 AS streamed,
  sum("inputTokens")::int8 AS "inputTokens", sum("outputTokens")::int8 AS "outputTokens", sum("cacheReadTokens")::int8 AS "cachedTokens",
  sum("costMicros")::int8 AS "costMicros", sum("latencyMsSum")::int8 AS "latencyMsSum", sum("ttftMsSum")::int8 AS "ttftMsSum",
  sum(retries)::int8 AS retries, sum(fallbacks)::int8 AS fallbacks
FROM "GatewayUsageMinute"
WHERE "organizationId" = $1 AND "projectId" = $2 AND "environmentId" = $3 AND minute >= ${utc('$4')} AND minute < ${utc('$5')}
GROUP BY 1, 2`;

/** At most this many failed requests are read to count errors by category over a range (errors are rare; the cap bounds a bad day). */
export const ERROR_ROWS_MAX = 100_000;

const ERRORS_SQL = `
SELECT category, count(*)::int AS count FROM (
  SELECT coalesce("errorCategory", 'other') AS category FROM "GatewayRequest"
  WHERE "organizationId" = $1 AND "projectId" = $2 AND "environmentId" = $3 AND "createdAt" >= ${utc('$4')} AND "createdAt" < ${utc('$5')}
    AND (status >= 400 OR "errorCategory" IS NOT NULL)
  LIMIT ${ERROR_ROWS_MAX}
) failed
GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 50`;

/** Reads the gateway's usage of one environment, tenant scope first (organization, then project). */
@Injectable()
export class ModelTrafficRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  async series(
    scope: TenantScope,
    projectId: string,
    environmentId: string,
    groupBy: ModelTrafficQuery['groupBy'],
    plan: PointPlan,
  ): Promise<ModelSlotRow[]> {
    return this.prisma.$queryRawUnsafe<ModelSlotRow[]>(
      seriesSql(groupBy),
      scope.organizationId,
      projectId,
      environmentId,
      plan.start,
      plan.end,
      plan.stepSeconds,
    );
  }

  async errorsByCategory(
    scope: TenantScope,
    projectId: string,
    environmentId: string,
    from: Date,
    to: Date,
  ): Promise<{ category: string; count: number }[]> {
    return this.prisma.$queryRawUnsafe(
      ERRORS_SQL,
      scope.organizationId,
      projectId,
      environmentId,
      from.getTime() / 1000,
      to.getTime() / 1000,
    );
  }
}
