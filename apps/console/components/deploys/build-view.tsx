'use client';

import type { BuildDto } from '@slipway/contracts';
import Link from 'next/link';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { api } from '../../lib/api';
import { formatDateTime, formatDuration, shortSha, subject } from '../../lib/format';
import { useCan, useOrg } from '../../lib/org';
import { useAction } from '../../lib/use-action';
import { useApiQuery, useInvalidateApi } from '../../lib/api-query';
import { pollWhile } from '../../lib/polling';
import { ErrorAlert, Notice } from '../ui/alert';
import { Button } from '../ui/button';
import { Badge, PageHeader, Section } from '../ui/layout-bits';
import { ResourceState } from '../ui/resource-state';
import { LogView, useBuildLog } from './build-log';
import { ExplainFailure } from './explain-failure';
import { StatusBadge, inProgress } from './status-badge';

/** One build: status, duration, its live log and, once deployed, a link to its deployment. */
export function BuildView({ project, buildId }: { project: string; buildId: string }) {
  const org = useOrg();
  const canCancel = useCan('MEMBER');
  const canExplain = useCan('MEMBER');
  // While running, the build row changes (status, then its release and deployment); once settled, nothing polls.
  const build = useApiQuery('getBuild', { org: org.slug, project, buildId }, { refetchInterval: pollWhile(buildChanging, { slow: false }) });
  const invalidate = useInvalidateApi();
  const cancel = useAction();
  const running = build.data ? inProgress(build.data.status) : false;
  const { refetch } = build;
  const onEnd = useCallback(() => void refetch(), [refetch]);
  const log = useBuildLog({ org: org.slug, project, buildId }, onEnd);
  const elapsed = useElapsed(build.data?.startedAt ?? null, running);

  async function cancelBuild() {
    if (await cancel.run(() => api('cancelBuild', { params: { org: org.slug, project, buildId } }))) await invalidate('getBuild', 'listBuilds');
  }

  return (
    <ResourceState query={build} what="build">
      {(b) => (
        <>
          <PageHeader
            crumbs={[
              { href: `/o/${org.slug}/projects`, label: 'Projects' },
              { href: `/o/${org.slug}/projects/${project}`, label: project },
            ]}
            title={`Build ${shortSha(b.commitSha)}`}
            description={
              <span className="flex flex-wrap items-center gap-2">
                <span aria-label="Build status">
                  <StatusBadge status={b.status} />
                </span>
                <Badge>{b.environment}</Badge>
                <Badge>branch {b.branch}</Badge>
                <span>{subject(b.message)}</span>
                <span className="text-xs">by {b.authorName}</span>
              </span>
            }
            actions={
              canCancel && running ? (
                <Button size="sm" onClick={cancelBuild} busy={cancel.busy}>
                  Cancel build
                </Button>
              ) : null
            }
          />
          <ErrorAlert>{cancel.error}</ErrorAlert>
          <dl className="mb-4 grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
            <Fact label="Queued">{formatDateTime(b.queuedAt)}</Fact>
            <Fact label="Duration">{running ? formatDuration(elapsed) : formatDuration(b.durationMs)}</Fact>
            <Fact label="Release">{b.releaseNumber !== null ? `v${b.releaseNumber}${b.reusedImage ? ' (cached image)' : ''}` : '—'}</Fact>
            <Fact label="Deployment">
              {b.deploymentId ? (
                <Link href={`/o/${org.slug}/projects/${project}/environments/${b.environment}/deployments/${b.deploymentId}`} className="text-blue-700 hover:underline">
                  View deployment
                </Link>
              ) : (
                '—'
              )}
            </Fact>
          </dl>
          {b.failureReason ? (
            <div className="mb-4">
              <ErrorAlert>{b.failureReason}</ErrorAlert>
            </div>
          ) : null}
          {b.status === 'FAILED' && canExplain ? <ExplainFailure what="build" ask={() => api('explainBuild', { params: { org: org.slug, project, buildId } })} /> : null}
          <Section title="Log" description={log.end ? 'The build has finished.' : log.connected ? 'Following the build live.' : 'Connecting…'}>
            {log.lines.length === 0 && log.end ? <Notice>This build wrote no log lines.</Notice> : null}
            <LogView lines={log.lines} waiting={!log.end} />
          </Section>
        </>
      )}
    </ResourceState>
  );
}

/** A build still running, or built but not yet handed to its deployment. */
function buildChanging(b: BuildDto): boolean {
  return inProgress(b.status) || (b.status === 'SUCCEEDED' && !b.deploymentId);
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd aria-label={label} className="font-medium text-zinc-900">
        {children}
      </dd>
    </div>
  );
}

/** Milliseconds since `startedAt`, ticking every second while `running`. */
function useElapsed(startedAt: string | null, running: boolean): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [running]);
  return startedAt ? Math.max(0, now - new Date(startedAt).getTime()) : null;
}
