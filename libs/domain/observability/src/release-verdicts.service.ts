import { Inject, Injectable, Optional } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import type { ReleaseVerdictDto, TenantScope, VerdictStatus } from '@slipway/contracts';
import { AppError, notFound } from '@slipway/errors';
import { ReleaseVerdictsRepository, type StoredVerdict, type WatchedDeploy, type WindowRow } from './release-verdicts.repository';
import { RELEASE_RESOURCES_PROVIDER, type ReleaseResourcesProvider } from './seams';
import { judgeRelease, type Verdict, type WindowStats } from './verdict-rule';

/** A verdict the job has just computed, with what deciding on a rollback needs. */
export interface EvaluatedRelease {
  deploy: WatchedDeploy;
  verdict: StoredVerdict;
}

/** The edge flushes every ~10 s and the collector runs every few: a window's last samples land this much later. */
const COLLECTION_LAG_MS = 60_000;

/**
 * Release verdicts: the `release-verdicts` job judges every release still in its watch window
 * (VERDICT_WINDOW_MINUTES from its deploy) and stores the result; the api reads it (or judges a
 * release the job never saw, without storing it). Faulty is final: once a release is faulty
 * the job stops re-judging it (its traffic after a rollback says nothing about it).
 */
@Injectable()
export class ReleaseVerdictsService {
  constructor(
    @Inject(ReleaseVerdictsRepository) private readonly repository: ReleaseVerdictsRepository,
    @Inject(CONFIG) private readonly config: Pick<Config, 'VERDICT_WINDOW_MINUTES'>,
    @Optional() @Inject(RELEASE_RESOURCES_PROVIDER) private readonly resources?: ReleaseResourcesProvider,
  ) {}

  private get windowMs(): number {
    return this.config.VERDICT_WINDOW_MINUTES * 60_000;
  }

  /** One pass of the job: every release deployed within the window (plus the collection lag) that has no final verdict yet. */
  async evaluateDue(now = new Date()): Promise<EvaluatedRelease[]> {
    const deploys = await this.repository.watchedDeploys(new Date(now.getTime() - this.windowMs - COLLECTION_LAG_MS));
    const stored = await this.repository.findForJob(deploys.map((d) => d.releaseId));
    const out: EvaluatedRelease[] = [];
    for (const deploy of deploys) {
      const existing = stored.get(deploy.releaseId);
      // Final: faulty, or judged after its window closed and its last samples were collected.
      if (existing && (existing.status === 'faulty' || existing.evaluatedAt.getTime() >= existing.windowEndsAt.getTime() + COLLECTION_LAG_MS)) {
        out.push({ deploy, verdict: existing });
        continue;
      }
      const verdict = await this.judge(deploy, now);
      const saved = await this.repository.save({
        releaseId: deploy.releaseId,
        organizationId: deploy.organizationId,
        environmentId: deploy.environmentId,
        previousReleaseId: deploy.previousReleaseId,
        status: verdict.status,
        summary: verdict.summary,
        measures: verdict.measures,
        liveAt: deploy.liveAt,
        windowEndsAt: new Date(deploy.liveAt.getTime() + this.windowMs),
        evaluatedAt: now,
      });
      out.push({ deploy, verdict: saved });
    }
    return out;
  }

  /** GET …/releases/:releaseId/verdict: the stored verdict, or one judged now for a release the job never saw. */
  async verdict(scope: TenantScope, environmentId: string, releaseId: string, now = new Date()): Promise<ReleaseVerdictDto> {
    const release = await this.repository.release(scope, environmentId, releaseId);
    if (!release) throw notFound('Release');
    const stored = await this.repository.find(scope, releaseId);
    const deploy = await this.repository.latestDeployOf(scope, environmentId, releaseId);
    if (stored) return toVerdictDto(stored, release.number, deploy?.previousReleaseNumber ?? null);
    if (!deploy) throw new AppError('NOT_FOUND', `v${release.number} never went live in this environment: there is no traffic to judge it by.`);
    const verdict = await this.judge(deploy, now);
    return {
      releaseId,
      releaseNumber: release.number,
      previousReleaseId: deploy.previousReleaseId,
      previousReleaseNumber: deploy.previousReleaseNumber,
      status: verdict.status,
      summary: verdict.summary,
      measures: verdict.measures,
      evaluatedAt: now.toISOString(),
      autoRolledBackAt: null,
    };
  }

  /**
   * The new release from its deploy to the end of its window (or now), against the previous
   * release over a whole window before the deploy (a full window gives the baseline the most
   * requests; rates and p95 do not depend on the window's length).
   */
  private async judge(deploy: WatchedDeploy, now: Date): Promise<Verdict> {
    const scope = { organizationId: deploy.organizationId };
    const liveAt = deploy.liveAt;
    const end = new Date(Math.min(now.getTime(), liveAt.getTime() + this.windowMs));
    const before = new Date(liveAt.getTime() - this.windowMs);
    const current = await this.windowStats(scope, deploy, deploy.releaseId, liveAt, end);
    const previous = deploy.previousReleaseId ? await this.windowStats(scope, deploy, deploy.previousReleaseId, before, liveAt) : null;
    return judgeRelease({
      releaseNumber: deploy.releaseNumber,
      previousReleaseNumber: deploy.previousReleaseNumber,
      current,
      previous,
      liveAt,
      windowMinutes: this.config.VERDICT_WINDOW_MINUTES,
      now,
    });
  }

  private async windowStats(scope: TenantScope, deploy: WatchedDeploy, releaseId: string, from: Date, to: Date): Promise<WindowStats> {
    if (!(from < to)) return { requests: 0, status4xx: 0, status5xx: 0, latencyCounts: [], modelCostMicros: 0 };
    const [row, cost, resources] = await Promise.all([
      this.repository.window(scope, deploy.environmentId, releaseId, from, to),
      this.repository.modelCostMicros(scope, deploy.environmentId, releaseId, from, to),
      this.resources?.averages(scope, deploy.environmentId, releaseId, from, to) ?? Promise.resolve({}),
    ]);
    return { ...fromRow(row), modelCostMicros: cost, ...resources };
  }
}

const fromRow = (row: WindowRow) => ({
  requests: Number(row.requests),
  status4xx: Number(row.status4xx),
  status5xx: Number(row.status5xx),
  latencyCounts: row.latencyCounts.map(Number),
});

export function toVerdictDto(v: StoredVerdict, releaseNumber: number, previousReleaseNumber: number | null): ReleaseVerdictDto {
  return {
    releaseId: v.releaseId,
    releaseNumber,
    previousReleaseId: v.previousReleaseId,
    previousReleaseNumber: v.previousReleaseId ? previousReleaseNumber : null,
    status: v.status as VerdictStatus,
    summary: v.summary,
    measures: v.measures,
    evaluatedAt: v.evaluatedAt.toISOString(),
    autoRolledBackAt: v.autoRolledBackAt?.toISOString() ?? null,
  };
}
