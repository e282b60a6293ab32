import { drillPlanSchema, drillReportSchema, type DrillPlan, type DrillReport, type GatewayDrillDto } from '@slipway/contracts';
import type { DrillRow } from './gateway-drills.repository';

/** What the `report` column holds: the report of a finished drill, or why the drill failed. */
export type StoredOutcome = DrillReport | { error: string };

export function toGatewayDrillDto(row: DrillRow, environment: string): GatewayDrillDto {
  const stored = (row.report ?? null) as Record<string, unknown> | null;
  const report = stored && 'requests' in stored ? drillReportSchema.safeParse(stored) : null;
  const error = stored && typeof stored['error'] === 'string' ? stored['error'] : null;
  return {
    id: row.id,
    environment,
    status: row.status,
    plan: planOf(row.plan),
    report: report?.success ? report.data : null,
    error: error ?? (report && !report.success ? 'The stored report could not be read.' : null),
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

function planOf(raw: unknown): DrillPlan {
  const parsed = drillPlanSchema.safeParse(raw);
  return parsed.success ? parsed.data : { route: '?', alias: '?', fault: { kind: 'status' }, durationSeconds: 0, concurrency: 0 };
}
