import { Inject, Injectable } from '@nestjs/common';
import type { TenantScope, UsageEvent } from '@slipway/contracts';
import { PrismaService, type GatewayRequest } from '@slipway/db';
import { fallbackCount } from './gateway-metrics';

/** Sums of one rollup group, as the database returns them (bigint sums). */
export interface UsageSums {
  requests: bigint;
  errors: bigint;
  inputTokens: bigint;
  outputTokens: bigint;
  cacheReadTokens: bigint;
  cacheWriteTokens: bigint;
  costMicros: bigint;
}

export type UsageDimension = 'keyId' | 'model' | 'feature' | 'customer';
const DIMENSION_COLUMN: Record<UsageDimension, string> = { keyId: '"keyId"', model: 'model', feature: 'feature', customer: 'customer' };

/** The rollup column a budget's spend is counted by; null = the whole project. */
export type SpendColumn = 'keyId' | 'model' | 'feature' | 'customer' | null;
const SPEND_COLUMN: Record<Exclude<SpendColumn, null>, string> = { keyId: '"keyId"', model: 'model', feature: 'feature', customer: 'customer' };

/** A timestamptz parameter as the UTC wall-clock time rollup minutes are stored in, whatever the session's time zone. */
const utc = (param: string) => `(${param}::timestamptz AT TIME ZONE 'UTC')`;

/** Breakdown lists are cut to the largest groups by cost: customers have no upper bound. */
export const BREAKDOWN_LIMIT = 100;

// One record per event; `at` as timestamptz so any offset lands on the right UTC instant.
const RECORDSET = `jsonb_to_recordset($1::jsonb) AS x(
  id text, "organizationId" text, "projectId" text, "environmentId" text, "releaseId" text, "keyId" text,
  feature text, customer text, api text, "modelRequested" text, "modelServed" text, provider text,
  status int, "errorCategory" text, "latencyMs" int, "ttftMs" int, "inputTokens" int, "outputTokens" int,
  "cacheReadTokens" int, "cacheWriteTokens" int, "costMicros" bigint, retries int, "fallbackChain" text[],
  streamed boolean, at timestamptz, fallbacks int, "apiCallId" text)`;

const INSERT_REQUESTS = `
INSERT INTO "GatewayRequest" (id, "organizationId", "projectId", "environmentId", "releaseId", "keyId", feature, customer, api,
  "modelRequested", "modelServed", provider, status, "errorCategory", "latencyMs", "ttftMs", "inputTokens", "outputTokens",
  "cacheReadTokens", "cacheWriteTokens", "costMicros", retries, "fallbackChain", streamed, "createdAt", "apiCallId")
SELECT id, "organizationId", "projectId", "environmentId", "releaseId", "keyId", feature, customer, api,
  "modelRequested", "modelServed", provider, status, "errorCategory", "latencyMs", "ttftMs", "inputTokens", "outputTokens",
  "cacheReadTokens", "cacheWriteTokens", "costMicros", retries, "fallbackChain", streamed, at AT TIME ZONE 'UTC', "apiCallId"
FROM ${RECORDSET}
ON CONFLICT (id) DO NOTHING
RETURNING id`;

// Rolls up only the events whose rows were just inserted ($2), so a batch seen twice adds nothing.
// `model` is the model or alias the client asked for: budgets and the console's bars are per alias.
const UPSERT_ROLLUPS = `
INSERT INTO "GatewayUsageMinute" (minute, "organizationId", "projectId", "environmentId", "releaseId", "keyId", model, provider,
  feature, customer, requests, errors, streamed, "inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens",
  "costMicros", "latencyMsSum", "ttftMsSum", retries, fallbacks)
SELECT date_trunc('minute', at AT TIME ZONE 'UTC'), "organizationId", "projectId", coalesce("environmentId", ''),
  coalesce("releaseId", ''), "keyId", "modelRequested", coalesce(provider, ''), coalesce(feature, ''), coalesce(customer, ''),
  count(*), count(*) FILTER (WHERE status >= 400), count(*) FILTER (WHERE streamed), sum("inputTokens"), sum("outputTokens"),
  sum("cacheReadTokens"), sum("cacheWriteTokens"), sum("costMicros"), sum("latencyMs"), coalesce(sum("ttftMs"), 0),
  sum(retries), sum(fallbacks)
FROM ${RECORDSET}
WHERE id = ANY($2::text[])
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
ON CONFLICT (minute, "organizationId", "projectId", "environmentId", "releaseId", "keyId", model, provider, feature, customer)
DO UPDATE SET
  requests = "GatewayUsageMinute".requests + EXCLUDED.requests,
  errors = "GatewayUsageMinute".errors + EXCLUDED.errors,
  streamed = "GatewayUsageMinute".streamed + EXCLUDED.streamed,
  "inputTokens" = "GatewayUsageMinute"."inputTokens" + EXCLUDED."inputTokens",
  "outputTokens" = "GatewayUsageMinute"."outputTokens" + EXCLUDED."outputTokens",
  "cacheReadTokens" = "GatewayUsageMinute"."cacheReadTokens" + EXCLUDED."cacheReadTokens",
  "cacheWriteTokens" = "GatewayUsageMinute"."cacheWriteTokens" + EXCLUDED."cacheWriteTokens",
  "costMicros" = "GatewayUsageMinute"."costMicros" + EXCLUDED."costMicros",
  "latencyMsSum" = "GatewayUsageMinute"."latencyMsSum" + EXCLUDED."latencyMsSum",
  "ttftMsSum" = "GatewayUsageMinute"."ttftMsSum" + EXCLUDED."ttftMsSum",
  retries = "GatewayUsageMinute".retries + EXCLUDED.retries,
  fallbacks = "GatewayUsageMinute".fallbacks + EXCLUDED.fallbacks`;

const SUMS = `coalesce(sum(requests), 0)::bigint AS requests, coalesce(sum(errors), 0)::bigint AS errors,
  coalesce(sum("inputTokens"), 0)::bigint AS "inputTokens", coalesce(sum("outputTokens"), 0)::bigint AS "outputTokens",
  coalesce(sum("cacheReadTokens"), 0)::bigint AS "cacheReadTokens", coalesce(sum("cacheWriteTokens"), 0)::bigint AS "cacheWriteTokens",
  coalesce(sum("costMicros"), 0)::bigint AS "costMicros"`;

/**
 * The only Prisma user of usage: GatewayRequest rows and GatewayUsageMinute rollups. Writes
 * come from the worker's stream consumer (no tenant scope: events carry their own); reads are
 * confined to a tenant first.
 */
@Injectable()
export class UsageRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  /**
   * Writes a batch in one transaction: the request rows that are not there yet, then the
   * rollups of exactly those rows. Returns the ids inserted (already-known ids are skipped).
   */
  async ingest(events: readonly UsageEvent[]): Promise<string[]> {
    const unique = [...new Map(events.map((e) => [e.id, e])).values()];
    if (unique.length === 0) return [];
    const json = JSON.stringify(unique.map((e) => ({ ...e, fallbacks: fallbackCount(e.fallbackChain) })));
    return this.prisma.$transaction(async (tx) => {
      const inserted = (await tx.$queryRawUnsafe<{ id: string }[]>(INSERT_REQUESTS, json)).map((r) => r.id);
      if (inserted.length > 0) await tx.$executeRawUnsafe(UPSERT_ROLLUPS, json, inserted);
      return inserted;
    });
  }

  /**
   * Spend (micro-USD) recorded for each query since its `since`, from the rollups, and which of
   * `ids` are already request rows — in one statement, so one snapshot: an event counted from
   * the stream is never counted again from the rollups, nor missed when the worker commits it
   * in between. Confined to one organization and project first.
   */
  async spendSince(
    scope: TenantScope,
    projectId: string,
    queries: readonly { column: SpendColumn; value: string; since: Date }[],
    ids: readonly string[],
  ): Promise<{ spent: bigint[]; known: string[] }> {
    if (queries.length === 0) return { spent: [], known: [] };
    const params: unknown[] = [scope.organizationId, projectId, new Date(Math.min(...queries.map((q) => q.since.getTime()))), [...ids]];
    const sums = queries.map((q, i) => {
      params.push(q.since);
      const since = `$${params.length}`;
      if (q.column === null) return `coalesce(sum("costMicros") FILTER (WHERE minute >= ${utc(since)}), 0)::bigint AS s${i}`;
      params.push(q.value);
      return `coalesce(sum("costMicros") FILTER (WHERE minute >= ${utc(since)} AND ${SPEND_COLUMN[q.column]} = $${params.length}), 0)::bigint AS s${i}`;
    });
    const rows = await this.prisma.$queryRawUnsafe<Record<string, unknown>[]>(
      `WITH spend AS (SELECT ${sums.join(', ')} FROM "GatewayUsageMinute" WHERE "organizationId" = $1 AND "projectId" = $2 AND minute >= ${utc('$3')}),
            known AS (SELECT coalesce(array_agg(id), '{}') AS ids FROM "GatewayRequest" WHERE id = ANY($4::text[]) AND "organizationId" = $1)
       SELECT * FROM spend, known`,
      ...params,
    );
    const row = rows[0]!;
    return { spent: queries.map((_, i) => BigInt(row[`s${i}`] as bigint)), known: row.ids as string[] };
  }

  /** Whether the database answers at all: tells an outage from a batch it refuses. */
  async reachable(): Promise<boolean> {
    try {
      await this.prisma.$queryRaw`SELECT 1`;
      return true;
    } catch {
      return false;
    }
  }

  /** Newest first; `before` is the id of the last row already seen (unknown id → null). */
  async listRequests(
    scope: TenantScope,
    projectId: string,
    query: { limit: number; before?: string; environmentId?: string },
  ): Promise<GatewayRequest[] | null> {
    const where = {
      organizationId: scope.organizationId,
      projectId,
      ...(query.environmentId ? { environmentId: query.environmentId } : {}),
    };
    let older = {};
    if (query.before) {
      const cursor = await this.prisma.gatewayRequest.findFirst({
        where: { ...where, id: query.before },
        select: { id: true, createdAt: true },
      });
      if (!cursor) return null;
      older = { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] };
    }
    return this.prisma.gatewayRequest.findMany({
      where: { ...where, ...older },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: query.limit,
    });
  }

  async totals(scope: TenantScope, projectId: string, from: Date): Promise<UsageSums> {
    const rows = await this.prisma.$queryRawUnsafe<UsageSums[]>(
      `SELECT ${SUMS} FROM "GatewayUsageMinute" WHERE "organizationId" = $1 AND "projectId" = $2 AND minute >= $3`,
      scope.organizationId,
      projectId,
      from,
    );
    return rows[0]!;
  }

  /** Sums per value of one dimension ('' = not set), largest cost first. */
  async breakdown(scope: TenantScope, projectId: string, from: Date, by: UsageDimension): Promise<(UsageSums & { value: string })[]> {
    const column = DIMENSION_COLUMN[by];
    return this.prisma.$queryRawUnsafe<(UsageSums & { value: string })[]>(
      `SELECT ${column} AS value, ${SUMS} FROM "GatewayUsageMinute"
       WHERE "organizationId" = $1 AND "projectId" = $2 AND minute >= $3
       GROUP BY ${column} ORDER BY "costMicros" DESC, requests DESC, value LIMIT ${BREAKDOWN_LIMIT}`,
      scope.organizationId,
      projectId,
      from,
    );
  }

  async keyLabels(scope: TenantScope, ids: readonly string[]): Promise<Map<string, { name: string; prefix: string }>> {
    if (ids.length === 0) return new Map();
    const keys = await this.prisma.gatewayKey.findMany({
      where: { organizationId: scope.organizationId, id: { in: [...ids] } },
      select: { id: true, name: true, prefix: true },
    });
    return new Map(keys.map((k) => [k.id, { name: k.name, prefix: k.prefix }]));
  }
}
