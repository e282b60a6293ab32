import type { OrganizationHealthDto, VerdictStatus } from '@slipway/contracts';

type Row = OrganizationHealthDto['environments'][number];

/** Faulty first, then releases still under watch; healthy, unknown and idle environments last. */
const VERDICT_RANK: Record<VerdictStatus, number> = { faulty: 0, pending: 1, 'insufficient-data': 2, healthy: 3 };

/**
 * The organization overview's order, worst first: a faulty verdict, then the 5xx rate, then
 * p95, then traffic (a busy environment matters more), then the name (stable between polls,
 * so rows do not jump).
 */
export function worstFirst(rows: Row[]): Row[] {
  return [...rows].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (b.rate5xx ?? -1) - (a.rate5xx ?? -1) ||
      (b.p95Ms ?? -1) - (a.p95Ms ?? -1) ||
      b.requests - a.requests ||
      `${a.project.slug}/${a.environment}`.localeCompare(`${b.project.slug}/${b.environment}`),
  );
}

const rank = (r: Row): number => (r.verdict ? VERDICT_RANK[r.verdict] : 4);
