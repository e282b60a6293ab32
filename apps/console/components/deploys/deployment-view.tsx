'use client';

import Link from 'next/link';
import { formatClock, formatDateTime, formatDuration, shortSha, subject } from '../../lib/format';
import { api } from '../../lib/api';
import { useCan, useOrg } from '../../lib/org';
import { useApiQuery } from '../../lib/api-query';
import { FAST_POLL_MS, pollWhile } from '../../lib/polling';
import { ErrorAlert } from '../ui/alert';
import { Badge, Empty, PageHeader, Section } from '../ui/layout-bits';
import { ResourceState } from '../ui/resource-state';
import { ExplainFailure } from './explain-failure';
import { StatusBadge, inProgress } from './status-badge';

const KIND = { DEPLOY: 'Deployment', ROLLBACK: 'Rollback', REDEPLOY: 'Redeploy' } as const;
const LEVEL = { info: 'text-zinc-700', warn: 'text-amber-700', error: 'text-red-700' } as const;

/** One deployment: status, the timestamped timeline and, when it failed, why and the container's last lines. */
export function DeploymentView({ project, env, deploymentId }: { project: string; env: string; deploymentId: string }) {
  const org = useOrg();
  // Its timeline grows step by step while it runs; a finished deployment does not change.
  const deployment = useApiQuery(
    'getDeployment',
    { org: org.slug, project, env, deploymentId },
    { refetchInterval: pollWhile((d) => inProgress(d.status), { fast: FAST_POLL_MS / 2, slow: false }) },
  );
  const canExplain = useCan('MEMBER');
  const running = deployment.data ? inProgress(deployment.data.status) : false;

  return (
    <ResourceState query={deployment} what="deployment">
      {(d) => (
        <>
          <PageHeader
            crumbs={[
              { href: `/o/${org.slug}/projects`, label: 'Projects' },
              { href: `/o/${org.slug}/projects/${project}`, label: project },
            ]}
            title={`${d.automatic ? `Automatic ${KIND[d.kind].toLowerCase()}` : KIND[d.kind]} of v${d.releaseNumber}`}
            description={
              <span className="flex flex-wrap items-center gap-2">
                <span aria-label="Deployment status">
                  <StatusBadge status={d.status} />
                </span>
                <Badge>{d.environment}</Badge>
                <code className="font-mono text-xs">{shortSha(d.commitSha)}</code>
                <span>{subject(d.message)}</span>
                {d.buildId ? (
                  <Link href={`/o/${org.slug}/projects/${project}/builds/${d.buildId}`} className="text-blue-700 hover:underline">
                    Build log
                  </Link>
                ) : null}
              </span>
            }
          />
          <dl className="mb-4 grid grid-cols-2 gap-3 text-sm sm:grid-cols-3">
            <div>
              <dt className="text-xs text-zinc-500">Queued</dt>
              <dd className="font-medium">{formatDateTime(d.queuedAt)}</dd>
            </div>
            <div>
              <dt className="text-xs text-zinc-500">Duration</dt>
              <dd className="font-medium">{formatDuration(d.durationMs)}</dd>
            </div>
            <div>
              <dt className="text-xs text-zinc-500">Finished</dt>
              <dd className="font-medium">{formatDateTime(d.finishedAt)}</dd>
            </div>
          </dl>
          {d.reason ? (
            <p className="mb-4 text-sm text-zinc-700" aria-label="Why">
              {d.reason}
            </p>
          ) : null}
          {d.failureReason ? (
            <div className="mb-4">
              <ErrorAlert>{d.failureReason}</ErrorAlert>
            </div>
          ) : null}
          {d.status === 'FAILED' && canExplain ? (
            <ExplainFailure what="deployment" ask={() => api('explainDeployment', { params: { org: org.slug, project, env, deploymentId } })} />
          ) : null}
          <Section title="Timeline" description="Each step, as it happened.">
            {d.events.length === 0 ? (
              <Empty>{running ? 'Waiting for the first step…' : 'No steps were recorded.'}</Empty>
            ) : (
              <ol aria-label="Timeline" className="flex flex-col gap-1 font-mono text-xs">
                {d.events.map((e, i) => (
                  <li key={i} className={`flex gap-3 ${LEVEL[e.level]}`}>
                    <time dateTime={e.at} className="shrink-0 text-zinc-400">
                      {formatClock(e.at)}
                    </time>
                    <span className="w-24 shrink-0 text-zinc-500">{e.step}</span>
                    <span className="whitespace-pre-wrap">{e.message}</span>
                  </li>
                ))}
              </ol>
            )}
          </Section>
          {d.failedReplicaLogs ? (
            <Section title="Last lines of the failing container">
              <pre aria-label="Failing container log" className="max-h-96 overflow-auto rounded-md bg-zinc-950 px-3 py-2.5 font-mono text-xs whitespace-pre-wrap text-zinc-100">
                {d.failedReplicaLogs}
              </pre>
            </Section>
          ) : null}
        </>
      )}
    </ResourceState>
  );
}
