import { Inject, Injectable, Optional } from '@nestjs/common';
import type { MarkerDto, MarkerKind, MarkersDto, RangeQuery, TenantScope } from '@slipway/contracts';
import { MarkersRepository, type MarkerDeploymentRow } from './markers.repository';
import { ReleaseVerdictsRepository } from './release-verdicts.repository';
import { toVerdictDto } from './release-verdicts.service';
import { EXTRA_MARKER_SOURCE, type ExtraMarkerSource } from './seams';
import { resolveRange } from './time-range';

/** At most this many markers per range (the most recent): a chart cannot show more lines. */
export const MARKERS_MAX = 500;

/**
 * Deploys, rollbacks (by hand and automatic) and failed deployments of an environment, with
 * the verdict on the release each put live, merged with the markers of an optional extra
 * source (replica restarts and OOM kills, from the resources part), oldest first.
 */
@Injectable()
export class MarkersService {
  constructor(
    @Inject(MarkersRepository) private readonly repository: MarkersRepository,
    @Inject(ReleaseVerdictsRepository) private readonly verdicts: ReleaseVerdictsRepository,
    @Optional() @Inject(EXTRA_MARKER_SOURCE) private readonly extra?: ExtraMarkerSource,
  ) {}

  /** `environmentId` must come from a tenant-checked lookup; every query filters by the scope again. */
  async markers(scope: TenantScope, environmentId: string, query: Pick<RangeQuery, 'from' | 'to'>, now = new Date()): Promise<MarkersDto> {
    const { from, to } = resolveRange(query, now);
    const rows = await this.repository.finishedDeployments(scope, environmentId, from, to, MARKERS_MAX);
    const verdicts = await this.verdicts.findMany(scope, [...new Set(rows.map((r) => r.releaseId))]);
    const previousIds = [...new Set([...verdicts.values()].map((v) => v.previousReleaseId).filter((id): id is string => !!id))];
    const numbers = await this.repository.releaseNumbers(scope, previousIds);
    const deployments = rows.map((row): MarkerDto => {
      const stored = row.status === 'SUCCEEDED' ? verdicts.get(row.releaseId) : undefined;
      return {
        at: row.finishedAt!.toISOString(),
        kind: kindOf(row),
        releaseId: row.releaseId,
        releaseNumber: row.release.number,
        commitSha: row.release.commitSha,
        authorName: row.release.authorName,
        message: row.release.message,
        deploymentId: row.id,
        replicaIndex: null,
        reason: reasonOf(row),
        verdict: stored ? toVerdictDto(stored, row.release.number, stored.previousReleaseId ? (numbers.get(stored.previousReleaseId) ?? null) : null) : null,
      };
    });
    const extra = this.extra ? await this.extra.markers(scope, environmentId, from, to) : [];
    const markers = [...deployments, ...extra]
      .sort((a, b) => b.at.localeCompare(a.at))
      .slice(0, MARKERS_MAX)
      .reverse();
    return { from: from.toISOString(), to: to.toISOString(), markers };
  }
}

function kindOf(row: MarkerDeploymentRow): MarkerKind {
  if (row.status === 'FAILED') return 'failed-deploy';
  if (row.kind === 'ROLLBACK') return row.automatic ? 'auto-rollback' : 'rollback';
  return 'deploy';
}

function reasonOf(row: MarkerDeploymentRow): string | null {
  if (row.status === 'FAILED') return row.failureReason;
  if (row.reason) return row.reason;
  return row.kind === 'REDEPLOY' ? 'Redeployed (fresh replicas of the same release).' : null;
}
