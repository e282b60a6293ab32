'use client';

import { DRILL_TAIL_SECONDS, type DrillPlan, type DrillReport, type GatewayDrillDto } from '@slipway/contracts';
import { useEffect, useState } from 'react';
import { formatDateTime, formatDuration } from '../../lib/format';
import { ErrorAlert } from '../ui/alert';
import { Badge } from '../ui/layout-bits';
import { Table, Td } from '../ui/table';

const TONE = { RUNNING: 'blue', SUCCEEDED: 'green', FAILED: 'red' } as const;
const LABEL = { RUNNING: 'Running', SUCCEEDED: 'Finished', FAILED: 'Failed' } as const;

export const percent = (rate: number): string => `${(rate * 100).toFixed(rate === 1 || rate === 0 ? 0 : 1)} %`;
export const amplification = (x: number): string => `${x.toFixed(2)}×`;
export const faultLabel = (plan: DrillPlan): string => (plan.fault.kind === 'status' ? `HTTP ${plan.fault.status ?? 503}` : 'timeout');

export function DrillStatusBadge({ status }: { status: GatewayDrillDto['status'] }) {
  return (
    <Badge tone={TONE[status]}>
      {status === 'RUNNING' ? <span className="mr-1 size-1.5 animate-pulse rounded-full bg-current" aria-hidden /> : null}
      {LABEL[status]}
    </Badge>
  );
}

/** One drill: its plan, and its report once it has one. */
export function DrillReportView({ drill }: { drill: GatewayDrillDto }) {
  const { plan } = drill;
  return (
    <div className="flex flex-col gap-3">
      <p className="flex flex-wrap items-center gap-2 text-sm">
        <DrillStatusBadge status={drill.status} />
        <span>
          <code className="font-mono text-xs">{plan.route}</code> of alias <code className="font-mono text-xs">{plan.alias}</code> answered{' '}
          {faultLabel(plan)} for {plan.durationSeconds} s, {plan.concurrency} requests at a time
        </span>
        <span className="text-xs text-zinc-500">{formatDateTime(drill.createdAt)}</span>
      </p>
      {drill.status === 'RUNNING' ? <RunningFor drill={drill} /> : null}
      {drill.error ? <ErrorAlert>{drill.error}</ErrorAlert> : null}
      {drill.report ? <Report report={drill.report} /> : null}
    </div>
  );
}

function RunningFor({ drill }: { drill: GatewayDrillDto }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, []);
  const total = drill.plan.durationSeconds + DRILL_TAIL_SECONDS;
  const elapsed = Math.min(total, Math.max(0, Math.floor((now - new Date(drill.createdAt).getTime()) / 1000)));
  return (
    <div role="status" className="flex items-center gap-3 text-sm text-zinc-600">
      <span className="size-4 animate-spin rounded-full border-2 border-zinc-300 border-t-blue-600" aria-hidden />
      Running: {elapsed} s of about {total} s (the load goes on {DRILL_TAIL_SECONDS} s after the fault to show recovery).
    </div>
  );
}

function Metric({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div className="rounded-md border border-zinc-200 px-3 py-2">
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className="text-lg font-semibold tracking-tight text-zinc-900">{value}</dd>
      {hint ? <dd className="text-xs text-zinc-500">{hint}</dd> : null}
    </div>
  );
}

function Report({ report }: { report: DrillReport }) {
  return (
    <div className="flex flex-col gap-4">
      <dl aria-label="Drill results" className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-6">
        <Metric label="Success rate" value={percent(report.successRate)} hint={`${report.succeeded} of ${report.requests} requests`} />
        <Metric
          label="Failover time"
          value={report.failoverMs === null ? 'none' : formatDuration(report.failoverMs)}
          hint="fault start → first answer by another route"
        />
        <Metric
          label="Retry amplification"
          value={amplification(report.retryAmplification)}
          hint={`${report.upstreamAttempts} upstream attempts`}
        />
        <Metric label="Breaker changes" value={String(report.breakerTransitions.length)} />
        <Metric
          label="Latency p50 / p95"
          value={`${formatDuration(report.latencyMs.p50)} / ${formatDuration(report.latencyMs.p95)}`}
          hint={`max ${formatDuration(report.latencyMs.max)}`}
        />
        <Metric
          label="Failed"
          value={String(report.failed)}
          hint={
            Object.entries(report.errors)
              .map(([k, n]) => `${k} ${n}`)
              .join(', ') || 'no errors'
          }
        />
      </dl>
      <Timeline report={report} />
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="lg:col-span-2">
          <h4 className="mb-1 text-xs font-semibold text-zinc-700">Circuit breaker</h4>
          {report.breakerTransitions.length === 0 ? (
            <p className="text-xs text-zinc-500">No breaker changed state.</p>
          ) : (
            <Table label="Breaker transitions" head={['At', 'Route', 'Change', 'Why']}>
              {report.breakerTransitions.map((t, i) => (
                <tr key={i} className="text-xs">
                  <Td className="font-mono whitespace-nowrap">+{formatDuration(t.atMs)}</Td>
                  <Td className="font-mono">{t.key}</Td>
                  <Td className="whitespace-nowrap">
                    {t.from} → <strong>{t.to}</strong>
                  </Td>
                  <Td className="text-zinc-600">{t.reason}</Td>
                </tr>
              ))}
            </Table>
          )}
        </div>
        <div>
          <h4 className="mb-1 text-xs font-semibold text-zinc-700">Served by</h4>
          <ul className="flex flex-col gap-1 text-xs">
            {Object.entries(report.servedBy).map(([route, n]) => (
              <li key={route} className="flex justify-between gap-2">
                <code className="font-mono">{route}</code>
                <span>{n}</span>
              </li>
            ))}
            {Object.keys(report.servedBy).length === 0 ? <li className="text-zinc-500">No route answered.</li> : null}
          </ul>
        </div>
      </div>
    </div>
  );
}

/** Requests per second since the fault began: answered first time, by a fallback, or failed. */
function Timeline({ report }: { report: DrillReport }) {
  const max = Math.max(1, ...report.timeline.map((t) => t.requests));
  if (report.timeline.length === 0) return null;
  return (
    <div>
      <h4 className="mb-1 text-xs font-semibold text-zinc-700">Per second since the fault began</h4>
      <div
        role="img"
        aria-label="Requests per second: first-route answers, fallback answers and failures"
        className="flex h-20 items-end gap-0.5"
      >
        {report.timeline.map((t) => {
          const failed = Math.max(0, t.requests - t.succeeded);
          const direct = Math.max(0, t.succeeded - t.fallbacks);
          const h = (n: number) => `${(n / max) * 100}%`;
          return (
            <div
              key={t.second}
              title={`${t.second}s: ${t.requests} requests, ${t.fallbacks} by fallback, ${failed} failed`}
              className="flex h-full min-w-1 flex-1 flex-col justify-end"
            >
              <div className="bg-red-500" style={{ height: h(failed) }} />
              <div className="bg-blue-500" style={{ height: h(t.fallbacks) }} />
              <div className="bg-emerald-500" style={{ height: h(direct) }} />
            </div>
          );
        })}
      </div>
      <p className="mt-1 flex gap-3 text-[11px] text-zinc-500">
        <span>
          <span aria-hidden className="mr-1 inline-block size-2 bg-emerald-500" />
          first route
        </span>
        <span>
          <span aria-hidden className="mr-1 inline-block size-2 bg-blue-500" />
          fallback
        </span>
        <span>
          <span aria-hidden className="mr-1 inline-block size-2 bg-red-500" />
          failed
        </span>
      </p>
    </div>
  );
}
