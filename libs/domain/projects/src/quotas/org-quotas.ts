import type { OrgQuotaDto } from '@slipway/contracts';
import { AppError } from '@slipway/errors';

/** Replicas and memory one environment holds. */
export interface Footprint {
  replicas: number;
  /** replicas × memory per replica, in MB. */
  memoryMb: number;
}

export interface QuotaLimits {
  projects: number;
  replicas: number;
  memoryMb: number;
}

export type QuotaName = keyof QuotaLimits;

export interface QuotaUsage {
  projects: number;
  replicas: number;
  memoryMb: number;
}

/** One shape of resources: replicas and memory per replica. */
export interface Resources {
  replicas: number;
  memoryMb: number;
}

const SETTING: Record<QuotaName, string> = { projects: 'ORG_MAX_PROJECTS', replicas: 'ORG_MAX_REPLICAS', memoryMb: 'ORG_MAX_MEMORY_MB' };
const UNIT: Record<QuotaName, string> = { projects: ' projects', replicas: ' replicas', memoryMb: ' MB of memory' };
const REMEDY: Record<QuotaName, string> = {
  projects: 'Delete a project you no longer need',
  replicas: 'Lower the replicas of an environment (its settings or slipway.yaml `resources`), or delete an environment',
  memoryMb: 'Lower the memory or replicas of an environment (its settings or slipway.yaml `resources`), or delete an environment',
};

/**
 * What an environment holds: the larger of its settings (what its next deployment starts) and
 * each release it runs or is about to run, since any of them may be live. Counting settings too
 * means capacity is claimed when an environment is created or resized, not only when it deploys:
 * an organization cannot set up more than it may run and deploy it later.
 */
export function footprintOf(settings: Resources, ...releases: (Resources | null | undefined)[]): Footprint {
  const all = [settings, ...releases.filter((r): r is Resources => !!r)];
  return { replicas: Math.max(...all.map((r) => r.replicas)), memoryMb: Math.max(...all.map((r) => r.replicas * r.memoryMb)) };
}

export function usageOf(projects: number, footprints: Iterable<Footprint>): QuotaUsage {
  let replicas = 0;
  let memoryMb = 0;
  for (const f of footprints) {
    replicas += f.replicas;
    memoryMb += f.memoryMb;
  }
  return { projects, replicas, memoryMb };
}

/**
 * Throws 409 QUOTA_EXCEEDED when `after` (the organization's use with the change) passes a limit
 * that the change raises (`before` → `after`); a change that lowers use or keeps it is always
 * allowed, so an organization over a quota lowered by the operator can still shrink.
 */
export function assertWithinQuotas(before: QuotaUsage, after: QuotaUsage, limits: QuotaLimits): void {
  const over = (Object.keys(limits) as QuotaName[]).filter((q) => after[q] > limits[q] && after[q] > before[q]);
  if (over.length === 0) return;
  const first = over[0]!;
  throw new AppError(
    'QUOTA_EXCEEDED',
    `This would take the organization to ${after[first]}${UNIT[first]}, past its quota of ${limits[first]} (${SETTING[first]}); it uses ${before[first]} now. ${REMEDY[first]}, or ask the operator to raise ${SETTING[first]}.`,
    over.map((q) => ({ path: `quota.${q}`, message: `uses ${before[q]}, would use ${after[q]}, limit ${limits[q]} (${SETTING[q]})` })),
  );
}

export function toQuotaDtos(usage: QuotaUsage, limits: QuotaLimits): OrgQuotaDto[] {
  return (Object.keys(limits) as QuotaName[]).map((name) => ({ name, used: usage[name], limit: limits[name], setting: SETTING[name] }));
}
