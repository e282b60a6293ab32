import { Injectable } from '@nestjs/common';
import { PrismaService } from '@slipway/db';
import type { GatewayRequestRow } from './gateway-spans';
import { tenantKey, type TenantNames } from './otlp-resource';
import type { TrafficMinuteRow } from './traffic-metrics';

export type ExportSignal = 'metrics' | 'traces' | 'logs';

export interface ExportCursor {
  signal: ExportSignal;
  position: string;
  failures: number;
  retryAt: Date | null;
}

export type CursorUpdate =
  | { kind: 'advanced'; position: string; lastError?: string }
  | { kind: 'failed'; retryAt: Date; lastError: string }
  | { kind: 'unchanged' };

/** Minute rollups after a (bucket, releaseId) key, of minutes that started before `settledBefore`. */
export interface MinuteQuery {
  after: { bucket: Date; releaseId: string };
  settledBefore: Date;
  organizationSlugs: readonly string[];
  limit: number;
}

/** Gateway requests stored after a (storedAt, id) key and at least `settleSeconds` ago; no key: from `firstLookbackSeconds` back. */
export interface GatewayQuery {
  after: { storedAt: string; id: string } | null;
  firstLookbackSeconds: number;
  settleSeconds: number;
  organizationSlugs: readonly string[];
  limit: number;
}

// An empty slug list means every organization.
const ORG_FILTER = (param: string) => `(cardinality(${param}::text[]) = 0 OR "organizationId" IN (SELECT id FROM "Organization" WHERE slug = ANY(${param}::text[])))`;

/**
 * The export's reads and its cursor. Installation-wide on purpose (the collector is the
 * operator's, like the traffic collector's storage): no tenant scope, only the optional
 * OTLP_ORGANIZATIONS filter.
 */
@Injectable()
export class OtlpExportRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Runs `work` holding the signal's cursor row (FOR UPDATE SKIP LOCKED), and writes the update
   * it returns in the same transaction: another worker's pass finds the row locked and skips
   * ('busy'), and a pass that dies before committing leaves the cursor where it was.
   */
  async withCursor<T>(signal: ExportSignal, work: (cursor: ExportCursor) => Promise<{ update: CursorUpdate; result: T }>): Promise<T | 'busy'> {
    await this.prisma.$executeRawUnsafe(`INSERT INTO "OtlpExportCursor" (signal, "updatedAt") VALUES ($1, now()) ON CONFLICT (signal) DO NOTHING`, signal);
    return this.prisma.$transaction(
      async (tx) => {
        const [row] = await tx.$queryRawUnsafe<{ position: string; failures: number; retryAt: Date | null }[]>(
          `SELECT position, failures, "retryAt" FROM "OtlpExportCursor" WHERE signal = $1 FOR UPDATE SKIP LOCKED`,
          signal,
        );
        if (!row) return 'busy' as const;
        const { update, result } = await work({ signal, position: row.position, failures: row.failures, retryAt: row.retryAt });
        if (update.kind === 'advanced') {
          await tx.otlpExportCursor.update({ where: { signal }, data: { position: update.position, failures: 0, retryAt: null, lastError: update.lastError ?? null } });
        } else if (update.kind === 'failed') {
          await tx.otlpExportCursor.update({ where: { signal }, data: { failures: { increment: 1 }, retryAt: update.retryAt, lastError: update.lastError } });
        }
        return result;
      },
      // A batch is at most one POST of OTLP_REQUEST_TIMEOUT_MS; the rest is bounded reads.
      { maxWait: 5_000, timeout: 60_000 },
    );
  }

  async trafficMinutes(q: MinuteQuery): Promise<TrafficMinuteRow[]> {
    const rows = await this.prisma.$queryRawUnsafe<Array<Omit<TrafficMinuteRow, 'latencyCounts'> & { latencyCounts: number[] }>>(
      `SELECT bucket, "projectId", "environmentId", "releaseId",
              "status2xx"::float8 AS "status2xx", "status3xx"::float8 AS "status3xx", "status4xx"::float8 AS "status4xx", "status5xx"::float8 AS "status5xx",
              "latencyCounts"::float8[] AS "latencyCounts"
       FROM "AppTrafficMinute"
       WHERE (bucket, "releaseId") > ($1::timestamp, $2::text) AND bucket < $3::timestamp AND ${ORG_FILTER('$4')}
       ORDER BY bucket, "releaseId"
       LIMIT $5`,
      q.after.bucket.toISOString().replace('Z', ''),
      q.after.releaseId,
      q.settledBefore.toISOString().replace('Z', ''),
      [...q.organizationSlugs],
      q.limit,
    );
    return rows;
  }

  async gatewayRequests(q: GatewayQuery): Promise<Array<GatewayRequestRow & { storedAt: string }>> {
    // storedAt is the column default (LOCALTIMESTAMP of the inserting transaction): compared in
    // SQL only, and carried as text, so the cursor round-trips exactly whatever the time zone.
    // Without a key, the first pass starts `firstLookbackSeconds` back (ids are never '').
    return this.prisma.$queryRawUnsafe(
      `SELECT id, "projectId", "environmentId", "releaseId", feature, api, "modelRequested", "modelServed", provider, status, "errorCategory",
              "latencyMs", "ttftMs", "inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens", "costMicros"::float8 AS "costMicros",
              retries, "fallbackChain", streamed, "createdAt", to_char("storedAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS') AS "storedAt"
       FROM "GatewayRequest"
       WHERE ("storedAt", id) > (coalesce($1::timestamp, LOCALTIMESTAMP - make_interval(secs => $6::int)), coalesce($2::text, ''))
         AND "storedAt" < LOCALTIMESTAMP - make_interval(secs => $3::int) AND ${ORG_FILTER('$4')}
       ORDER BY "storedAt", id
       LIMIT $5`,
      q.after?.storedAt ?? null,
      q.after?.id ?? null,
      q.settleSeconds,
      [...q.organizationSlugs],
      q.limit,
      q.firstLookbackSeconds,
    );
  }

  /** Slugs, names and release numbers of the tenants the rows belong to, by `tenantKey`; rows deleted since are absent. */
  async tenantNames(keys: ReadonlyArray<{ projectId: string; environmentId: string | null; releaseId: string | null }>): Promise<Map<string, TenantNames>> {
    const ids = (pick: (k: (typeof keys)[number]) => string | null) => [...new Set(keys.map(pick).filter((v): v is string => v !== null))];
    const [projects, environments, releases] = await Promise.all([
      this.prisma.project.findMany({ where: { id: { in: ids((k) => k.projectId) } }, select: { id: true, slug: true, organizationId: true, organization: { select: { slug: true } } } }),
      this.prisma.environment.findMany({ where: { id: { in: ids((k) => k.environmentId) } }, select: { id: true, name: true } }),
      this.prisma.release.findMany({ where: { id: { in: ids((k) => k.releaseId) } }, select: { id: true, number: true, commitSha: true } }),
    ]);
    const project = new Map(projects.map((p) => [p.id, p]));
    const environment = new Map(environments.map((e) => [e.id, e]));
    const release = new Map(releases.map((r) => [r.id, r]));
    const names = new Map<string, TenantNames>();
    for (const k of keys) {
      const p = project.get(k.projectId);
      const e = k.environmentId ? environment.get(k.environmentId) : undefined;
      const r = k.releaseId ? release.get(k.releaseId) : undefined;
      if (!p || (k.environmentId && !e) || (k.releaseId && !r)) continue;
      names.set(tenantKey(k.projectId, k.environmentId, k.releaseId), {
        organizationId: p.organizationId,
        organizationSlug: p.organization.slug,
        projectId: p.id,
        projectSlug: p.slug,
        environmentId: e?.id ?? null,
        environmentName: e?.name ?? null,
        release: r ? { id: r.id, number: r.number, commitSha: r.commitSha } : null,
      });
    }
    return names;
  }
}
