import { Inject, Injectable } from '@nestjs/common';
import { type TenantScope, type TopPathsDto, type TopPathsQuery } from '@slipway/contracts';
import { resolveRange } from './time-range';
import { percentile } from './histogram';
import { TopPathsRepository, type PathResolution, type PathRow } from './top-paths.repository';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/** Up to this range the minute rollups answer (≤ 1,440 buckets); longer ranges read the hour rollups. */
const MINUTE_RANGE_MAX_MS = 24 * HOUR_MS;

type Ranked = { path: string; requests: number; status4xx: number; status5xx: number; p95Ms: number | null };

const BY: Record<TopPathsQuery['sort'], (a: Ranked, b: Ranked) => number> = {
  requests: (a, b) => b.requests - a.requests,
  // Server errors first (the app's fault), then client errors; a 404-scanning bot should not hide a failing checkout.
  errors: (a, b) => b.status5xx - a.status5xx || b.status4xx - a.status4xx,
  latency: (a, b) => (b.p95Ms ?? -1) - (a.p95Ms ?? -1),
};

/**
 * Top paths of an environment over a time range: by requests, by errors (5xx, then 4xx) or by
 * p95 latency from the merged histograms of every replica, release and minute (or hour).
 */
@Injectable()
export class TopPathsService {
  constructor(@Inject(TopPathsRepository) private readonly repository: TopPathsRepository) {}

  /** `environmentId` must come from a tenant-checked lookup; the repository filters by the scope again. */
  async topPaths(scope: TenantScope, environmentId: string, query: TopPathsQuery, now = new Date()): Promise<TopPathsDto> {
    const { from: requestedFrom, to: requestedTo } = resolveRange(query, now);
    // The range is widened to whole buckets of the rollup that answers: the answer's from/to say which.
    const resolution: PathResolution = requestedTo.getTime() - requestedFrom.getTime() <= MINUTE_RANGE_MAX_MS ? 'minute' : 'hour';
    const unit = resolution === 'minute' ? MINUTE_MS : HOUR_MS;
    const from = new Date(Math.floor(requestedFrom.getTime() / unit) * unit);
    const to = new Date(Math.ceil(requestedTo.getTime() / unit) * unit);
    const rows = await this.repository.paths(scope, environmentId, { from, to, resolution, releaseId: query.release });
    const ranked = rows.map(rank).sort((a, b) => BY[query.sort](a, b) || b.requests - a.requests || a.path.localeCompare(b.path));
    return { from: from.toISOString(), to: to.toISOString(), paths: ranked.slice(0, query.limit) };
  }
}

function rank(row: PathRow): Ranked {
  const p95 = percentile(row.latencyCounts.map(Number), 0.95);
  return {
    path: row.path,
    requests: Number(row.requests),
    status4xx: Number(row.status4xx),
    status5xx: Number(row.status5xx),
    p95Ms: p95 === null ? null : Math.round(p95 * 100) / 100,
  };
}
