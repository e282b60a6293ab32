'use client';

import type { GatewayDrillDto } from '@slipway/contracts';
import { Fragment, useState } from 'react';
import { formatDateTime, formatDuration } from '../../lib/format';
import { Button } from '../ui/button';
import { Table, Td } from '../ui/table';
import { DrillReportView, DrillStatusBadge, amplification, faultLabel, percent } from './drill-report';

/** Earlier drills side by side, each expandable to its full report. */
export function DrillHistory({ drills }: { drills: GatewayDrillDto[] }) {
  const [open, setOpen] = useState<string | null>(null);
  return (
    <div>
      <h3 className="mb-1 text-xs font-semibold text-zinc-700">Earlier drills</h3>
      <Table
        label="Earlier drills"
        head={['Started', 'Route', 'Fault', 'Success rate', 'Failover', 'Retry amplification', 'Breaker changes', 'p95', 'Status', '']}
      >
        {drills.map((d) => (
          <Fragment key={d.id}>
            <tr aria-label={`Drill ${formatDateTime(d.createdAt)}`} className="text-xs">
              <Td className="whitespace-nowrap">{formatDateTime(d.createdAt)}</Td>
              <Td className="font-mono">{d.plan.route}</Td>
              <Td className="whitespace-nowrap">
                {faultLabel(d.plan)}, {d.plan.durationSeconds} s
              </Td>
              <Td>{d.report ? percent(d.report.successRate) : '—'}</Td>
              <Td>{d.report ? (d.report.failoverMs === null ? 'none' : formatDuration(d.report.failoverMs)) : '—'}</Td>
              <Td>{d.report ? amplification(d.report.retryAmplification) : '—'}</Td>
              <Td>{d.report ? d.report.breakerTransitions.length : '—'}</Td>
              <Td>{d.report ? formatDuration(d.report.latencyMs.p95) : '—'}</Td>
              <Td>
                <DrillStatusBadge status={d.status} />
              </Td>
              <Td className="text-right">
                <Button size="sm" variant="ghost" aria-expanded={open === d.id} onClick={() => setOpen(open === d.id ? null : d.id)}>
                  {open === d.id ? 'Hide' : 'Details'}
                </Button>
              </Td>
            </tr>
            {open === d.id ? (
              <tr>
                <Td colSpan={10} className="bg-zinc-50">
                  <DrillReportView drill={d} />
                </Td>
              </tr>
            ) : null}
          </Fragment>
        ))}
      </Table>
    </div>
  );
}
