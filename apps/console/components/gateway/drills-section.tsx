'use client';

import { useQueryClient } from '@tanstack/react-query';
import type { GatewayConfig, GatewayDrillDto } from '@slipway/contracts';
import { useCan } from '../../lib/org';
import { setApiQueryData, useApiQuery, useInvalidateApi } from '../../lib/api-query';
import { pollWhile } from '../../lib/polling';
import { ErrorAlert } from '../ui/alert';
import { Empty, Loading, Section } from '../ui/layout-bits';
import { DrillForm } from './drill-form';
import { DrillHistory } from './drill-history';
import { DrillReportView } from './drill-report';

/** While a drill runs its row is polled this often, so the report appears as soon as it is written. */
const RUNNING_POLL_MS = 1_000;

/** Failover drills of one environment: start one, watch it run, compare its report with earlier ones. */
export function DrillsSection({ org, project, env, config }: { org: string; project: string; env: string; config: GatewayConfig | null }) {
  const query = { environment: env, limit: 20 };
  const drills = useApiQuery(
    'listGatewayDrills',
    { org, project },
    { query, refetchInterval: pollWhile(anyRunning, { fast: RUNNING_POLL_MS }) },
  );
  const client = useQueryClient();
  const invalidate = useInvalidateApi();
  const canRun = useCan('ADMIN');
  const running = drills.data ? anyRunning(drills.data) : false;
  const [latest, ...earlier] = drills.data ?? [];

  return (
    <Section
      title={`Failover drills of ${env}`}
      description="Break one route on purpose for a few seconds while a bounded synthetic load asks its alias; the report shows what callers would have seen."
    >
      <div className="flex flex-col gap-5">
        {canRun ? (
          <DrillForm
            org={org}
            project={project}
            env={env}
            config={config}
            running={running}
            onStarted={(d) => {
              // Shown at once as the latest drill, then refetched (its report fills in while it runs).
              setApiQueryData(
                client,
                'listGatewayDrills',
                { org, project },
                (cur) => [d, ...(cur ?? []).filter((x) => x.id !== d.id)],
                query,
              );
              void invalidate('listGatewayDrills');
            }}
          />
        ) : null}
        {drills.error && !drills.data ? <ErrorAlert>{drills.error.message}</ErrorAlert> : null}
        {drills.data === undefined ? (
          drills.error ? null : (
            <Loading />
          )
        ) : !latest ? (
          <Empty>No drills in {env} yet.</Empty>
        ) : (
          <>
            <LatestDrill drill={latest} />
            {earlier.length > 0 ? <DrillHistory drills={earlier} /> : null}
          </>
        )}
      </div>
    </Section>
  );
}

function anyRunning(drills: GatewayDrillDto[]): boolean {
  return drills.some((d) => d.status === 'RUNNING');
}

function LatestDrill({ drill }: { drill: GatewayDrillDto }) {
  return (
    <div aria-label="Latest drill" role="region" className="rounded-md border border-zinc-200 p-3">
      <h3 className="mb-2 text-xs font-semibold text-zinc-700">Latest drill</h3>
      <DrillReportView drill={drill} />
    </div>
  );
}
