'use client';

import type { MarkerDto, ReleaseVerdictDto } from '@slipway/contracts';
import { useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import { api } from '../../lib/api';
import { useApiQuery } from '../../lib/api-query';
import { formatDateTime, shortSha, subject } from '../../lib/format';
import { formatBytes, formatCpu, formatMs, formatPercent, formatUsd, releaseLabel } from '../../lib/observability/format';
import { MARKER_STYLES, VERDICT_LABELS, VERDICT_TONES } from '../../lib/observability/markers';
import { useCan } from '../../lib/org';
import { pollWhile } from '../../lib/polling';
import { useAction } from '../../lib/use-action';
import { ErrorAlert } from '../ui/alert';
import { Button } from '../ui/button';
import { ConfirmButton } from '../ui/confirm-button';
import { Badge } from '../ui/layout-bits';
import { usePage } from './page-context';

const MEASURE_LABELS: Record<string, [string, (n: number | null) => string]> = {
  rate5xx: ['5xx rate', formatPercent],
  rate4xx: ['4xx rate', formatPercent],
  p95Ms: ['p95 latency', formatMs],
  cpuPercent: ['CPU', formatCpu],
  memoryBytes: ['Memory', formatBytes],
  modelCostPerRequestUsd: ['Model cost per request', formatUsd],
};

/**
 * The card a marker opens: what happened (release, commit, author, reason), the verdict on the
 * release it put live, a link to the deployment, and a rollback to the release before it.
 * Escape or "Close" closes it; focus moves into it when it opens.
 */
export function MarkerCard({ marker, onClose }: { marker: MarkerDto; onClose: () => void }) {
  const page = usePage();
  const card = useRef<HTMLDivElement>(null);
  const style = MARKER_STYLES[marker.kind];
  const deployish = marker.kind === 'deploy' || marker.kind === 'rollback' || marker.kind === 'auto-rollback';
  // The marker may predate the verdict (computed minutes after the deploy): ask for the current one.
  const verdictQuery = useApiQuery(
    'releaseVerdict',
    { ...page.params, releaseId: marker.releaseId },
    { enabled: deployish && marker.verdict?.status !== 'faulty' && marker.verdict?.status !== 'healthy', retry: false },
  );
  const verdict: ReleaseVerdictDto | null = verdictQuery.data ?? marker.verdict;

  useEffect(() => {
    card.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [marker, onClose]);

  return (
    <div
      ref={card}
      tabIndex={-1}
      role="dialog"
      aria-label={`Marker ${releaseLabel(marker.releaseNumber)}`}
      className="fixed right-4 bottom-4 z-40 w-[26rem] max-w-[calc(100vw-2rem)] rounded-lg border border-zinc-200 bg-white p-4 text-sm shadow-lg focus:outline-none"
    >
      <div className="mb-2 flex items-start justify-between gap-2">
        <div>
          <div className="flex items-center gap-2">
            <span aria-hidden className="inline-block h-4 w-1 rounded" style={{ background: style.color }} />
            <span className="text-base font-semibold">{releaseLabel(marker.releaseNumber)}</span>
            <Badge>{style.title}</Badge>
          </div>
          <div className="mt-0.5 text-xs text-zinc-500">{formatDateTime(marker.at)}</div>
        </div>
        <Button size="sm" variant="ghost" onClick={onClose}>
          Close
        </Button>
      </div>
      <dl className="grid grid-cols-[6rem_1fr] gap-x-2 gap-y-1 text-xs">
        <dt className="text-zinc-500">Commit</dt>
        <dd className="font-mono">{shortSha(marker.commitSha)}</dd>
        <dt className="text-zinc-500">Author</dt>
        <dd>{marker.authorName}</dd>
        <dt className="text-zinc-500">Message</dt>
        <dd className="break-words">{subject(marker.message)}</dd>
        {marker.replicaIndex !== null ? (
          <>
            <dt className="text-zinc-500">Replica</dt>
            <dd>#{marker.replicaIndex}</dd>
          </>
        ) : null}
        {marker.reason ? (
          <>
            <dt className="text-zinc-500">Reason</dt>
            <dd className="break-words">{marker.reason}</dd>
          </>
        ) : null}
      </dl>
      {verdict ? (
        <Verdict verdict={verdict} />
      ) : deployish && verdictQuery.isPending ? (
        <p className="mt-3 text-xs text-zinc-500">Loading the verdict…</p>
      ) : null}
      <div className="mt-3 flex flex-wrap items-center gap-2">
        {marker.deploymentId ? (
          <Link
            href={`/o/${page.org}/projects/${page.project}/environments/${page.env}/deployments/${marker.deploymentId}`}
            className="text-xs font-medium text-blue-700 hover:underline"
          >
            Open the deployment
          </Link>
        ) : null}
        <Link
          href={`/o/${page.org}/projects/${page.project}/environments/${page.env}`}
          className="text-xs font-medium text-blue-700 hover:underline"
        >
          Releases of {page.env}
        </Link>
      </div>
      <RollbackToPrevious marker={marker} />
    </div>
  );
}

function Verdict({ verdict }: { verdict: ReleaseVerdictDto }) {
  return (
    <section aria-label="Verdict" className="mt-3 rounded-md border border-zinc-200 bg-zinc-50 p-2.5">
      <div className="mb-1 flex items-center gap-2">
        <Badge tone={VERDICT_TONES[verdict.status]}>{VERDICT_LABELS[verdict.status]}</Badge>
        {verdict.previousReleaseNumber !== null ? (
          <span className="text-xs text-zinc-500">against v{verdict.previousReleaseNumber}</span>
        ) : null}
      </div>
      <p className="text-xs text-zinc-800">{verdict.summary}</p>
      {verdict.measures.length > 0 ? (
        <table className="mt-2 w-full text-xs" aria-label="Compared measures">
          <thead className="text-zinc-500">
            <tr>
              <th className="text-left font-normal">Measure</th>
              <th className="text-right font-normal">Before</th>
              <th className="text-right font-normal">After</th>
            </tr>
          </thead>
          <tbody>
            {verdict.measures.map((m) => {
              const [label, fmt] = MEASURE_LABELS[m.measure] ?? [m.measure, (n: number | null) => (n === null ? '—' : String(n))];
              return (
                <tr key={m.measure} className={m.regressed ? 'font-medium text-red-700' : ''}>
                  <td>{label}</td>
                  <td className="text-right tabular-nums">{fmt(m.previous)}</td>
                  <td className="text-right tabular-nums">{fmt(m.current)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      {verdict.autoRolledBackAt ? (
        <p className="mt-1 text-xs text-fuchsia-700">Rolled back automatically at {formatDateTime(verdict.autoRolledBackAt)}.</p>
      ) : null}
    </section>
  );
}

/** "Roll back to v11": the newest release older than the marker's, through the same rollback as the environment page. */
function RollbackToPrevious({ marker }: { marker: MarkerDto }) {
  const page = usePage();
  const canDeploy = useCan('MEMBER');
  const client = useQueryClient();
  const action = useAction();
  // After "Roll back", the releases are read every 2 s until the target is live (the deploy takes seconds).
  const [target, setTarget] = useState<string | null>(null);
  const releases = useApiQuery('listReleases', page.params, {
    enabled: canDeploy,
    refetchInterval: pollWhile((list) => target !== null && !list.some((r) => r.id === target && r.live), { slow: false }),
  });
  const previous = (releases.data ?? []).filter((r) => r.number < marker.releaseNumber).sort((a, b) => b.number - a.number)[0];
  if (!canDeploy || !previous) return null;
  if (previous.live) return <p className="mt-3 text-xs text-zinc-500">v{previous.number} is live.</p>;

  async function rollback() {
    const done = await action.run(() => api('rollback', { params: page.params, body: { releaseId: previous!.id } }));
    if (done) setTarget(previous!.id);
    // Everything on the page may change: the markers, the traffic, the releases.
    if (done) await client.invalidateQueries();
  }

  return (
    <div className="mt-3 border-t border-zinc-200 pt-3">
      <ConfirmButton
        label={`Roll back to v${previous.number}`}
        question={`Put v${previous.number} live again?`}
        confirmLabel="Roll back"
        onConfirm={rollback}
      >
        Roll back to v{previous.number}
      </ConfirmButton>
      {action.error ? <ErrorAlert>{action.error}</ErrorAlert> : null}
    </div>
  );
}
